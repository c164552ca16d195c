import { isLlmgwError, OutputClosedError, type LlmgwError } from '../../core/errors.js';
import type { Io } from '../io.js';
import { decideColor } from './color.js';
import type { GlobalOptions } from './output.js';
import { printable, printableJson } from './printable.js';
import { isJsonStream } from './ndjson.js';

/** Exit code for an internal error (a bug), from sysexits' EX_SOFTWARE; documented in the README. */
export const BUG_EXIT_CODE = 70;

const RED = (on: boolean) => (s: string) => (on ? `\u001b[31m${s}\u001b[39m` : s);
const DIM = (on: boolean) => (s: string) => (on ? `\u001b[2m${s}\u001b[22m` : s);

/**
 * Prints an error the way users should meet it and returns the exit code. User errors get what
 * happened and the fix, no stack; anything else is a bug and says so (stack under `--debug`).
 * Plain ANSI codes keep this path free of chalk, so it works even before a command loaded.
 */
export function reportError(err: unknown, io: Io, globals: GlobalOptions): number {
  const color = decideColor(io, globals).stderr;
  const red = RED(color);
  const dim = DIM(color);
  // `| head` closed the pipe: there is no one left to tell.
  if (err instanceof OutputClosedError) return err.exitCode;
  if (isLlmgwError(err)) {
    writeUserError(err, io, globals, red, dim);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`${red('internal error')} llmgw hit a bug: ${printable(message)}\n`);
  if (globals.debug && err instanceof Error && err.stack) io.stderr.write(`${dim(err.stack)}\n`);
  else io.stderr.write(`${dim('  Re-run with --debug for the stack trace, and please report it with the command you ran.')}\n`);
  if (globals.json) {
    io.stdout.write(`${printableJson(JSON.stringify({ error: { code: 'internal_error', message, hint: null, exitCode: BUG_EXIT_CODE } }, null, isJsonStream(io) ? undefined : 2))}\n`);
  }
  return BUG_EXIT_CODE;
}

function writeUserError(err: LlmgwError, io: Io, globals: GlobalOptions, red: (s: string) => string, dim: (s: string) => string): void {
  // Messages can quote the data (a column name, a key): never let it drive the terminal.
  io.stderr.write(`${red('error')} ${printable(err.message)}\n`);
  if (err.hint) io.stderr.write(`  ${dim('fix:')} ${printable(err.hint)}\n`);
  if (globals.debug && err.stack) io.stderr.write(`${dim(err.stack)}\n`);
  // After NDJSON lines (tune start --wait, watch, deploy) the error is one more line, not a pretty block.
  if (globals.json) io.stdout.write(`${printableJson(JSON.stringify({ error: err.toJSON() }, null, isJsonStream(io) ? undefined : 2))}\n`);
}
