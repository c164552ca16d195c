import type { Command } from 'commander';
import type { Io } from './io.js';
import type { GlobalOptions, Output } from './output/output.js';

/** What every command receives: the I/O seam, the global flags, and the output helper. */
export interface CommandContext {
  io: Io;
  globals: GlobalOptions;
  out: Output;
}

/**
 * A command file exports `run`. It returns the exit code; it prints through `ctx.out` and
 * throws `LlmgwError`s for user errors. It never touches `process`.
 */
export interface CommandModule<O = Record<string, unknown>> {
  run(ctx: CommandContext, args: string[], opts: O): Promise<number>;
}

/**
 * Wraps a lazily imported command module as a commander action, so `llmgw --help` and
 * `--version` never load a command's dependencies.
 */
export type LazyAction = <O>(load: () => Promise<CommandModule<O>>) => (...commanderArgs: unknown[]) => Promise<void>;

/** A noun (`dataset`, `tune`, `models`, …) adds its verbs to the program. */
export interface NounRegistration {
  register(program: Command, lazy: LazyAction): void;
}
