import type { Io, OutStream } from '../io.js';

export interface ColorChoice {
  stdout: boolean;
  stderr: boolean;
}

/**
 * Colour is decided once, here. Off under `--no-color`, `--json`, a non-empty `NO_COLOR`, or a
 * stream that is not a terminal; `FORCE_COLOR` (non-zero) turns it on for a non-terminal stream
 * but never overrides the other three.
 */
export function decideColor(io: Pick<Io, 'env' | 'stdout' | 'stderr'>, flags: { color: boolean; json: boolean }): ColorChoice {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  if (!flags.color || flags.json || noColor) return { stdout: false, stderr: false };
  const force = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '' && io.env.FORCE_COLOR !== '0';
  const on = (s: OutStream): boolean => force || s.isTTY === true;
  return { stdout: on(io.stdout), stderr: on(io.stderr) };
}
