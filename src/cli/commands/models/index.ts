import { InvalidArgumentError, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};

const example = (lines: string): string => `\nExamples:\n${lines}\n`;

/** Options of every verb that reads the manifest. */
function manifestOption(cmd: Command): Command {
  return cmd.option('--manifest <path>', 'routing manifest (also LLMGW_MANIFEST; default ./llmgw.routes.json)');
}

/** Options of every verb that writes the manifest. */
function writeOptions(cmd: Command): Command {
  return manifestOption(cmd)
    .option('--expect-revision <n>', 'write only if the manifest is still at revision N (else exit 1, nothing written)', int)
    .option('--reason <text>', 'why, recorded in the history log');
}

export function register(program: Command, lazy: LazyAction): void {
  const models = program.command('models');

  writeOptions(
    models
      .command('register')
      .description('add a model (immutable) to the manifest; a new alias points at it, an existing one gets it as a candidate without traffic')
      .argument('<alias>', 'the name clients call, e.g. support-bot')
      .argument('<model-id>', 'the provider model id, e.g. ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345')
      .option('--provider <name>', 'provider serving it (default: openai)')
      .option('--base-model <model>', 'base model it was tuned from (taken from an ft: id when left out)')
      .option('--job <id>', 'fine-tuning job that produced it')
      .option('--deployment <name>', 'Azure: the deployment serving it')
      .option('--dataset-hash <sha256>', 'hash of the training data'),
  )
    .addHelpText('after', example('  $ llmgw models register support-bot ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345 --job ftjob-abc123\n  $ llmgw models register support-eu ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345 --provider azure --deployment support-eu'))
    .action(lazy(() => import('./register.js')));

  writeOptions(
    models
      .command('promote')
      .description('move an alias to a model: all traffic (the old stable stays as previous at weight 0), or --canary N percent')
      .argument('<alias>', 'alias to change')
      .option('--model <id>', 'registered model to promote')
      .option('--job <id>', 'promote the model of this fine-tuning job (ledger or provider; refused unless it succeeded)')
      .option('--canary <percent>', 'send this percentage (1-99) to the model and keep the rest on the stable one', int)
      .option('--provider <name>', 'with --job: provider of a job not in the ledger (default: openai)')
      .option('--base-url <url>', 'with --job: provider API base URL')
      .option('--gate <conditions>', "refuse unless the model's latest eval passes, e.g. score>=0.85,delta>=0,p95<=2s (default: the alias's gate policy)")
      .option('--force', 'promote even when the gate fails (the history records it)'),
  )
    .addHelpText('after', example('  $ llmgw models promote support-bot --model ft:gpt-4o-mini-2024-07-18:acme:support:XyZ78901 --canary 10 --gate score>=0.85,delta>=0,p95<=2s\n  $ llmgw models promote support-bot --model ft:gpt-4o-mini-2024-07-18:acme:support:XyZ78901   # complete the canary\n  $ llmgw models promote support-bot --job ftjob-abc123 --expect-revision 7 --reason "eval passed"'))
    .action(lazy(() => import('./promote.js')));

  writeOptions(
    models
      .command('rollback')
      .description("restore an alias's previous targets as a new revision (drains a canary, or swaps stable and previous)")
      .argument('<alias>', 'alias to roll back')
      .option('--to <revision>', 'restore the targets the alias had at this manifest revision (from the history log)', int),
  )
    .addHelpText('after', example('  $ llmgw models rollback support-bot --reason "error rate up"\n  $ llmgw models rollback support-bot --to 4'))
    .action(lazy(() => import('./rollback.js')));

  manifestOption(models.command('list').description('every alias with its targets and weights'))
    .addHelpText('after', example('  $ llmgw models list\n  $ llmgw models list --json | jq \'.aliases[].name\''))
    .action(lazy(() => import('./list.js')));

  manifestOption(
    models
      .command('show')
      .description('one alias: targets, weights, provenance and recent history')
      .argument('<alias>', 'alias to show')
      .option('--history <n>', 'how many history entries to show', int, 10),
  )
    .addHelpText('after', example('  $ llmgw models show support-bot\n  $ llmgw models show support-bot --history 50 --json'))
    .action(lazy(() => import('./show.js')));

  manifestOption(
    models
      .command('resolve')
      .description('what the gateway sends for an alias: weighted targets, fallbacks, and the split of N seeded draws')
      .argument('<alias>', 'alias to resolve')
      .option('--samples <n>', 'draw this many targets the way the gateway would', int, 1000)
      .option('--seed <n>', 'seed for the draws (same seed, same split)', int, 1),
  )
    .addHelpText('after', example('  $ llmgw models resolve support-bot\n  $ llmgw models resolve support-bot --samples 10000 --seed 7 --json'))
    .action(lazy(() => import('./resolve.js')));

  manifestOption(
    models
      .command('export')
      .description("write the gateway's config from the manifest (LiteLLM config.yaml or Portkey config JSON)")
      .requiredOption('--to <gateway>', 'litellm or portkey')
      .option('-o, --output <file>', 'write to this file (default: stdout)')
      .option('--check', 'write nothing; exit 1 when the file differs from what would be generated'),
  )
    .addHelpText('after', example('  $ llmgw models export --to litellm -o litellm/config.yaml\n  $ llmgw models export --to portkey -o portkey.json\n  $ llmgw models export --to litellm -o litellm/config.yaml --check   # in CI'))
    .action(lazy(() => import('./export.js')));

  manifestOption(
    models
      .command('check')
      .description('routed models that are gone or retire soon (provider model data plus a dated retirement table), with the traffic they carry')
      .argument('[alias]', 'check only this alias')
      .option('--within <days>', 'report retirements within this many days', int, 60)
      .option('--offline', "use only llmgw's retirement table; ask no provider")
      .option('--base-url <url>', 'provider API base URL'),
  )
    .addHelpText('after', example('  $ llmgw models check\n  $ llmgw models check support-bot --within 90\n  $ llmgw models check --offline --json'))
    .action(lazy(() => import('./check.js')));
}
