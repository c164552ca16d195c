import { Command, Option } from 'commander';
import type { CommandContext, CommandModule, LazyAction } from './command.js';
import { nouns } from './commands/index.js';
import { readGlobals } from './globals.js';
import type { Io } from './io.js';
import { packageVersion } from './version.js';

export interface RunState {
  exitCode: number;
}

const EXAMPLES = `
Examples:
  $ llmgw dataset validate datasets/chat-valid.jsonl
  $ llmgw dataset convert faq.csv -o train.jsonl --map question=user --map answer=assistant
  $ llmgw tune start --model gpt-4.1-mini-2025-04-14 --train train.jsonl --wait --register support-bot
  $ llmgw models promote support-bot --job ftjob-abc123 --canary 10
  $ llmgw models export --to litellm -o litellm.config.yaml
  $ llmgw models check --within 60

Exit codes: 0 done · 1 check failed · 2 usage error · 3 auth/config · 4 provider/network
            5 timed out · 130 interrupted (resumable) · 70 internal error (a bug)
Run \`llmgw <command> --help\` for each command's options and examples. Docs: README.md, docs/.`;


/**
 * Builds a fresh program per call (never commander's global), wired to `io`. Only the noun named
 * in `argv` is declared in full; the others are listed by name and summary, so `--version`,
 * `--help` and every command load as little as possible. Without `argv` every noun is declared
 * (tests walk the whole program).
 */
export async function createProgram(io: Io, state: RunState, argv?: readonly string[]): Promise<Command> {
  const program = new Command('llmgw');
  program
    .description('Fine-tuning data to live traffic: datasets, jobs, and the routing manifest your gateway reads.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--json', 'print one JSON document on stdout (no colour, no spinner)')
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .option('--debug', 'show debug detail and stack traces (also LLMGW_DEBUG=1)')
    .addOption(new Option('-q, --quiet', 'print only results, warnings and errors'))
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const lazy: LazyAction = <O>(load: () => Promise<CommandModule<O>>) =>
    async (...commanderArgs: unknown[]) => {
      const cmd = commanderArgs[commanderArgs.length - 1] as Command;
      const globals = readGlobals(cmd.optsWithGlobals(), io.env);
      const { createOutput } = await import('./output/output.js');
      const out = await createOutput(io, globals);
      const ctx: CommandContext = { io, globals, out };
      const mod = await load();
      // commander passes each declared argument (a variadic one as an array), the options, the command.
      const args = commanderArgs.slice(0, -2).flat().filter((a): a is string => typeof a === 'string');
      state.exitCode = await mod.run(ctx, args, cmd.opts() as O);
    };

  const wanted = argv === undefined ? undefined : invokedNoun(argv);
  for (const noun of nouns) {
    if (argv === undefined || noun.name === wanted) (await noun.load()).register(program, lazy);
    else program.command(noun.name);
    program.commands.find((c) => c.name() === noun.name)?.description(noun.summary);
  }
  return program;
}

/** The noun a command line asks for: the first word that is not a flag (`help <noun>` too). */
function invokedNoun(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}
