import { InvalidArgumentError, type Command } from 'commander';
import type { LazyAction } from '../../command.js';
import { collect } from './policy-options.js';

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
      .option('--dataset-hash <sha256>', 'hash of the training data')
      .option('--base-url <url>', "a new provider entry's API root, as its SDK takes it (e.g. https://api.together.xyz/v1)")
      .option('--resource-name <name>', 'Azure: a new provider entry\'s resource name')
      .option('--api-version <version>', "Azure: a new provider entry's API version")
      .option('--api-key-env <VAR>', "a new provider entry's key variable (default: the one its SDK reads)"),
  )
    .addHelpText('after', example('  $ llmgw models register support-bot ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345 --job ftjob-abc123\n  $ llmgw models register support-eu ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345 --provider azure --deployment support-eu --resource-name acme-eu --api-version 2024-10-21\n  $ llmgw models register claude-backup anthropic/claude-sonnet-4 --provider openrouter   # an off-the-shelf model'))
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

  writeOptions(
    models
      .command('route')
      .description('set an alias\'s routing policy (fallbacks, retries, timeout, priorities, rate limits, cache) as a new revision')
      .argument('<alias>', 'alias to change')
      .option('--fallback <aliases>', 'aliases to try in order when this one fails, comma-separated (none: no fallback)')
      .option('--fallback-on <statuses>', 'statuses that move a request on (default: 408,429,500,502,503,504)')
      .option('--retry <n>', 'further attempts within the tier, 0-10 (none: no retry policy)')
      .option('--retry-on <statuses>', 'statuses worth a retry (default: 408,429,500,502,503,504)')
      .option('--timeout <duration>', 'time limit of one attempt, e.g. 30s (none: the gateway default)')
      .option('--priority <target=n>', 'move a target (id or model) to priority tier N; a target without traffic becomes that tier\'s stable (repeatable)', collect)
      .option('--cache <mode>', 'off or exact (an identical request is answered from the cache)')
      .option('--cache-ttl <duration>', 'how long a cached answer is served, e.g. 10m')
      .option('--rpm <target=n>', 'requests per minute the gateway may send to a target (=none removes; repeatable)', collect)
      .option('--tpm <target=n>', 'tokens per minute the gateway may send to a target (=none removes; repeatable)', collect),
  )
    .addHelpText('after', example('  $ llmgw models route support-bot --fallback claude-backup --retry 2 --retry-on 429,503 --timeout 30s\n  $ llmgw models route support-bot --priority anthropic/claude-sonnet-4=1 --rpm support-bot.support-AbC12345=600\n  $ llmgw models route faq-bot --cache exact --cache-ttl 10m'))
    .action(lazy(() => import('./route.js')));

  const provider = models.command('provider').description('provider accounts in the manifest: where and how the gateway calls them');
  writeOptions(
    provider
      .command('set')
      .description('create or change a provider entry\'s connection facts, as a new revision')
      .argument('<key>', 'the provider entry, e.g. azure or azure-eu')
      .option('--type <type>', 'provider type of a new entry (default: the key)')
      .option('--base-url <url>', 'API root as the provider\'s SDK takes it, e.g. https://acme-eu.openai.azure.com')
      .option('--resource-name <name>', 'Azure resource name')
      .option('--api-version <version>', 'Azure API version, e.g. 2024-10-21')
      .option('--api-key-env <VAR>', 'environment variable holding the key (never the key)')
      .option('--project <id>', 'Vertex: default Google Cloud project')
      .option('--location <region>', 'Vertex: default location, e.g. us-central1')
      .option('--region <region>', 'Bedrock: default AWS region')
      .option('--unset <field>', 'remove a field (repeatable)', collect),
  )
    .addHelpText('after', example('  $ llmgw models provider set azure --resource-name acme-eu --api-version 2024-10-21\n  $ llmgw models provider set local-vllm --type openai-compatible --base-url http://10.0.0.5:8000/v1 --api-key-env VLLM_API_KEY'))
    .action(lazy(() => import('./provider-set.js')));

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
      .option('--check', 'write nothing; exit 1 when the file differs from what would be generated')
      .option('--allow-incomplete', 'write a config the gateway would fail requests with (a missing endpoint, API version, region…)'),
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
