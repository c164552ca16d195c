import { InvalidArgumentError, Option, type Command } from 'commander';
import { listProviders } from '../../../core/providers/registry.js';
import type { LazyAction } from '../../command.js';

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number');
  return n;
};
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Options every verb that talks to a provider takes, including each provider's own settings (`--location`, `--region` …). */
function providerOptions(cmd: Command): Command {
  cmd
    .option('--provider <name>', 'provider for job ids not in the ledger (default: openai)')
    .option('--base-url <url>', 'provider API base URL (default: the provider\'s env var, e.g. OPENAI_BASE_URL)')
    .option('--max-retries <n>', 'retries per request (the SDK backs off and honours Retry-After)', int)
    .option('--request-timeout <seconds>', 'time limit per request, in seconds', num)
    .option('--manifest <path>', 'routing manifest; the ledger is .llmgw/ beside it (also LLMGW_MANIFEST)');
  for (const [flag, help] of providerSettingFlags()) cmd.option(`${flag} <value>`, help);
  return cmd;
}

/** Each provider's own setting flags, once per flag, with the providers that read it named in the help. */
function providerSettingFlags(): Map<string, string> {
  const flags = new Map<string, string>();
  for (const p of listProviders()) {
    for (const s of p.settings) {
      if (!s.flag) continue;
      const help = `${p.name}: ${s.description}${s.env ? ` (also ${s.env})` : ''}`;
      flags.set(s.flag, flags.has(s.flag) ? `${flags.get(s.flag)}; ${help}` : help);
    }
  }
  return flags;
}

const example = (lines: string): string => `\nExamples:\n${lines}\n`;

export function register(program: Command, lazy: LazyAction): void {
  const tune = program.command('tune');

  providerOptions(
    tune
      .command('start')
      .description('validate, upload (once per content hash) and create a fine-tuning job, recorded in the ledger first')
      .option('--model <base>', 'base model to fine-tune (default: the config "model" setting)')
      .requiredOption('--train <file>', 'training data (JSONL)')
      .option('--validation <file>', 'validation data (JSONL)')
      .option('--method <method>', 'supervised, dpo or reinforcement (where the provider offers it)', 'supervised')
      .option('--grader <file>', 'with --method reinforcement: the grader configuration (JSON, checked before anything is sent)')
      .option('--epochs <n>', 'epochs (or auto)')
      .option('--batch-size <n>', 'batch size (or auto)')
      .option('--learning-rate-multiplier <x>', 'learning rate multiplier (or auto)')
      .option('--beta <x>', 'DPO beta (or auto)')
      .option('--hyperparameter <name=value>', "any hyperparameter of the provider, by its name (repeatable; e.g. lora_r=16)", collect)
      .option('--hyperparameters <file>', 'hyperparameters from a JSON object of name: value (flags win over it)')
      .option('--suffix <s>', 'suffix in the fine-tuned model name')
      .option('--seed <n>', 'seed for reproducible training', int)
      .option('--metadata <k=v>', 'job metadata (repeatable)', collect)
      .option('--dry-run', 'print what would be uploaded and sent, send nothing')
      .option('--max-cost <usd>', 'refuse when the estimated cost is higher', num)
      .option('--yes', 'do not ask before an expensive job (with --provisioned: also accept the hourly charge of the deployment)')
      .option('--force', 'create a new job even when the same one is active or succeeded')
      .option('--wait', 'watch the job to the end (exit 0 succeeded, 1 failed/cancelled)')
      .option('--interval <seconds>', 'with --wait: seconds between polls', num)
      .option('--wait-timeout <duration>', 'with --wait: give up watching after this long (e.g. 2h), exit 5')
      .option('--register <alias>', 'with --wait: register the fine-tuned model under this alias in the manifest')
      .option('--provisioned', 'with --register, where a deployment is needed (Bedrock): buy Provisioned Throughput instead of on-demand serving')
      .option('--model-units <n>', 'with --provisioned: model units to buy (each billed by the hour)', int)
      // Before 0.2 `start --timeout` was the per-request limit; kept so old scripts run, with a warning.
      .addOption(new Option('--timeout <seconds>', 'deprecated: use --request-timeout').argParser(num).hideHelp()),
  )
    .addHelpText('after', example('  $ llmgw tune start --model gpt-4.1-mini-2025-04-14 --train train.jsonl --validation val.jsonl --suffix support\n  $ llmgw tune start --model gpt-4.1-mini-2025-04-14 --train train.jsonl --dry-run\n  $ llmgw tune start --model gpt-4.1-mini-2025-04-14 --train train.jsonl --max-cost 20 --wait --wait-timeout 3h --register support'))
    .action(lazy(() => import('./start.js')));

  providerOptions(
    tune
      .command('watch')
      .argument('<job>', 'provider job id or lj_… ledger id')
      .description('follow a job to the end: state, new events (each once), the model id; Ctrl-C stops watching, not the job')
      .option('--interval <seconds>', 'seconds between polls (default 10)', num)
      .option('--timeout <duration>', 'give up after this long (e.g. 90m), exit 5')
      .option('--register <alias>', 'register the fine-tuned model under this alias in the manifest once the job succeeds (exit 0 only with the manifest entry)'),
  )
    .addHelpText('after', example('  $ llmgw tune watch ftjob-abc123\n  $ llmgw tune watch lj_3f2a… --timeout 2h --json | jq -c \'select(.type == "event")\''))
    .action(lazy(() => import('./watch.js')));

  providerOptions(
    tune
      .command('deploy')
      .argument('<job>', 'a finished job: provider job id or lj_… ledger id')
      .description("make a finished job's model serve traffic (Bedrock: on-demand deployment, or Provisioned Throughput), wait for it, and optionally register it")
      .option('--provisioned', 'buy Provisioned Throughput (billed by the hour) instead of an on-demand deployment')
      .option('--model-units <n>', 'with --provisioned: model units to buy', int)
      .option('--yes', 'accept the hourly charge of Provisioned Throughput without asking')
      .option('--register <alias>', 'register the deployed model under this alias in the manifest')
      .option('--interval <seconds>', 'seconds between polls (default 10)', num)
      .option('--wait-timeout <duration>', 'give up waiting after this long (e.g. 30m), exit 5; running it again resumes'),
  )
    .addHelpText('after', example('  $ llmgw tune deploy lj_3f2a… --register support --region us-east-1\n  $ llmgw tune deploy lj_3f2a… --provisioned --model-units 1 --yes --register support'))
    .action(lazy(() => import('./deploy.js')));

  providerOptions(tune.command('status').argument('<job>', 'provider job id or lj_… ledger id').description("a job's state, model and error, merged with the ledger"))
    .addHelpText('after', example('  $ llmgw tune status ftjob-abc123 --json | jq -r .job.status'))
    .action(lazy(() => import('./status.js')));

  providerOptions(
    tune
      .command('list')
      .description("this project's jobs (ledger) merged with the provider's list")
      .option('--limit <n>', 'jobs to fetch from the provider (default 20)', int)
      .option('--all', 'page through every job at the provider'),
  )
    .addHelpText('after', example('  $ llmgw tune list\n  $ llmgw tune list --all --json | jq \'.jobs[] | select(.inLedger | not)\''))
    .action(lazy(() => import('./list.js')));

  providerOptions(tune.command('cancel').argument('<job>', 'provider job id or lj_… ledger id').description('cancel a job'))
    .addHelpText('after', example('  $ llmgw tune cancel ftjob-abc123'))
    .action(lazy(() => import('./cancel.js')));

  providerOptions(
    tune
      .command('events')
      .argument('<job>', 'provider job id or lj_… ledger id')
      .description("a job's events, oldest first")
      .option('--limit <n>', 'the newest N events (default 20)', int)
      .option('--all', 'every event'),
  )
    .addHelpText('after', example('  $ llmgw tune events ftjob-abc123 --all'))
    .action(lazy(() => import('./events.js')));

  const pausing = listProviders().filter((p) => p.pauses).map((p) => p.displayName).join(', ');
  providerOptions(tune.command('pause').argument('<job>', 'provider job id or lj_… ledger id').description(`pause a running job, keeping its progress (${pausing})`))
    .addHelpText('after', example('  $ llmgw tune pause ftjob-abc123'))
    .action(lazy(() => import('./pause.js')));

  providerOptions(tune.command('resume').argument('<job>', 'provider job id or lj_… ledger id').description(`resume a paused job (${pausing})`))
    .addHelpText('after', example('  $ llmgw tune resume ftjob-abc123'))
    .action(lazy(() => import('./resume.js')));

  providerOptions(
    tune
      .command('resolve')
      .argument('<ledger-id>', 'the lj_… entry whose create llmgw could not confirm')
      .argument('[job]', 'the provider job that belongs to it')
      .description('settle by hand an entry llmgw could not tell was created (after exit 4, job_create_undecided)')
      .option('--not-created', 'the provider has no job for it (the next tune start creates it)'),
  )
    .addHelpText('after', example('  $ llmgw tune resolve lj_3f2a… ftjob-abc123\n  $ llmgw tune resolve lj_3f2a… --not-created'))
    .action(lazy(() => import('./resolve.js')));

  providerOptions(tune.command('checkpoints').argument('<job>', 'provider job id or lj_… ledger id').description("a job's checkpoints (model ids per epoch, with metrics)"))
    .addHelpText('after', example('  $ llmgw tune checkpoints ftjob-abc123 --json | jq -r \'.checkpoints[0].model\''))
    .action(lazy(() => import('./checkpoints.js')));
}
