import type { CommanderError } from 'commander';
import { ExitCode } from '../core/errors.js';
import { globalsFromArgv } from './globals.js';
import { storedTopHelp } from './help-text.js';
import type { Io } from './io.js';
import { reportError } from './output/errors.js';
import type { RunState } from './program.js';
import { packageVersion } from './version.js';

export { nodeIo } from './io.js';
export type { Io } from './io.js';

/**
 * Runs the CLI and returns the exit code. Never exits the process and never throws: every
 * failure becomes a message on stderr (and a JSON error under `--json`) plus a code.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const state: RunState = { exitCode: ExitCode.ok };
  // `llmgw --version` answers without loading commander (about half of its start-up time).
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.ok;
  }
  // So does `llmgw --help` into a pipe or a file: the text is the one commander renders there.
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    const help = storedTopHelp(io.stdout.isTTY === true, io.env);
    if (help !== undefined) {
      io.stdout.write(help);
      return ExitCode.ok;
    }
  }
  let commanderError: typeof CommanderError | undefined;
  try {
    const [commander, { createProgram }] = await Promise.all([import('commander'), import('./program.js')]);
    commanderError = commander.CommanderError;
    const program = await createProgram(io, state, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (err) {
    if (commanderError !== undefined && err instanceof commanderError) return commanderExit(err, io, globalsFromArgv(argv, io.env).json);
    return reportError(err, io, globalsFromArgv(argv, io.env));
  }
}

/**
 * Help and version end with 0; every other parse failure is a usage error (2). Under `--json` it
 * also prints the error document the README promises (commander already wrote its text to stderr).
 */
function commanderExit(err: CommanderError, io: Io, json: boolean): number {
  if (err.exitCode === 0) return ExitCode.ok;
  if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
  const hint = 'see `llmgw --help` (or `llmgw <command> --help`) for usage';
  // Commander already printed what was wrong; add where to look.
  if (err.code !== 'commander.executeSubCommandAsync') io.stderr.write(`  fix: ${hint}.\n`);
  if (json) {
    const message = err.message.replace(/^error: /, '');
    io.stdout.write(`${JSON.stringify({ error: { code: err.code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), message, hint, exitCode: ExitCode.usage } }, null, 2)}\n`);
  }
  return ExitCode.usage;
}
