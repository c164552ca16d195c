import { InterruptedError } from '../../errors.js';

/**
 * Turns the stream error an aborted `signal` (Ctrl-C) causes into an InterruptedError (exit 130)
 * saying what that left behind; other errors pass through unchanged.
 */
export function interrupted(err: unknown, signal: AbortSignal | undefined, outcome = 'no output file was written'): unknown {
  if (!signal?.aborted) return err;
  return new InterruptedError('interrupted', `stopped by Ctrl-C before the end; ${outcome}`, { hint: 're-run the command', cause: err });
}
