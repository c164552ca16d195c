/**
 * `tune deploy <job>`: makes a finished job's model serve traffic where the provider needs a
 * deployment first (Bedrock), waits for it to be active, and with `--register ALIAS` records the
 * deployment in the manifest. `tune start --wait --register` runs the same step.
 */
import { createHash } from 'node:crypto';
import { deployAndWait } from '../../../core/jobs/deploy.js';
import { LEDGER_METADATA_KEY } from '../../../core/jobs/reconcile.js';
import { UsageError } from '../../../core/errors.js';
import type { DeployResult, FineTuningProvider, Job } from '../../../core/providers/types.js';
import type { ServingFacts } from '../../../core/manifest/register-job.js';
import type { CommandContext } from '../../command.js';
import { quote } from './creating.js';
import { namedJob, openLedger, orUnknown, parseDuration, projectFlags, type ProviderOpts } from './context.js';
import { realClock } from './follow.js';
import { jobView } from './render.js';
import { registerResult } from './start.report.js';
import { writeJsonLine } from '../../output/ndjson.js';

export interface DeployOpts extends ProviderOpts {
  provisioned?: boolean;
  modelUnits?: number;
  yes?: boolean;
  register?: string;
  /** Seconds between polls. */
  interval?: number;
  /** Give up waiting after this long (e.g. 30m). */
  waitTimeout?: string;
}

export async function run(ctx: CommandContext, args: string[], opts: DeployOpts): Promise<number> {
  const name = args[0] ?? '';
  const deadline = opts.waitTimeout === undefined ? undefined : ctx.io.now() + parseDuration(opts.waitTimeout, '--wait-timeout');
  const ledger = openLedger(ctx, opts);
  const { jobId, entry, provider } = await namedJob(ctx, ledger, name, opts);
  const job = await orUnknown(name, provider.getJob(jobId));
  const deployment = await deployStep(ctx, provider, job, entry?.ledgerId ?? ledgerIdOf(job), opts, deadline, false, entry?.ledgerId ?? name);
  const registered = opts.register === undefined ? null : await registerResult(ctx, opts, opts.register, job, entry?.training.sha256, deployment.serving as ServingFacts, { print: false });
  if (ctx.out.json) {
    ctx.out.printJson({ job: jobView(job, entry), deployment, registered });
    return 0;
  }
  ctx.out.print(`${ctx.out.c.green(deployment.status)} ${deployment.id} serves ${job.fineTunedModel ?? job.id}`);
  if (registered?.changed) ctx.out.print(`Registered it under alias ${registered.alias} in ${registered.manifest} (revision ${registered.revision}).`);
  return 0;
}

/** The ledger id that names a job's deployment; jobs llmgw did not start get one derived from their id. */
export function ledgerIdOf(job: Job): string {
  return job.metadata[LEDGER_METADATA_KEY] ?? `lj_${createHash('sha256').update(job.id).digest('hex').slice(0, 20)}`;
}

/**
 * Deploys and waits, printing each state (NDJSON `deployment` lines under `--json` for `tune
 * start --wait`). Provisioned Throughput bills by the hour: its commitment is printed and must be
 * accepted at the terminal or with `--yes`.
 */
export async function deployStep(ctx: CommandContext, provider: FineTuningProvider, job: Job, ledgerId: string, opts: DeployOpts, deadline: number | undefined, ndjson = false, jobRef = ledgerId): Promise<DeployResult> {
  let options: Record<string, string> | undefined;
  if (opts.provisioned) {
    const units = opts.modelUnits;
    if (units === undefined || !Number.isInteger(units) || units < 1) {
      throw new UsageError('model_units_missing', '--provisioned buys Provisioned Throughput, which needs the number of model units.', { hint: 'add --model-units 1 (each unit is billed by the hour)' });
    }
    options = { modelUnits: String(units) };
    await confirmProvisioned(ctx, job, units, opts.yes === true);
  }
  const spinner = await ctx.out.spinner(`deploying ${job.fineTunedModel ?? job.id}`);
  try {
    return await deployAndWait(
      provider,
      job,
      // Named after the ledger entry, so running it again finds this deployment instead of making another.
      { name: `llmgw-${ledgerId}`, options },
      {
        clock: realClock(() => ctx.io.now(), ctx.io.signal),
        intervalMs: opts.interval === undefined ? undefined : opts.interval * 1000,
        deadline,
        signal: ctx.io.signal,
        jobName: jobRef,
        // The printed command must work pasted: where the job is, and what this run was asked to do.
        commandFlags: `${jobRef === ledgerId ? '' : ` --provider ${provider.name}`}${projectFlags(opts)}${opts.provisioned ? ` --provisioned --model-units ${opts.modelUnits ?? 1}` : ''}${opts.register === undefined ? '' : ` --register ${quote(opts.register)}`}`,
        onStatus: (d) => {
          spinner.text(`${d.id}: ${d.status}`);
          if (ndjson) writeJsonLine(ctx.io, { type: 'deployment', id: d.id, status: d.status, state: d.state ?? null, serving: d.serving });
        },
        onRetry: (err, delay) => ctx.out.warn(`${err.message} Trying again in ${Math.round(delay / 1000)}s (the deployment is not affected).`),
      },
    );
  } finally {
    spinner.stop();
  }
}

async function confirmProvisioned(ctx: CommandContext, job: Job, units: number, yes: boolean): Promise<void> {
  const what = `Provisioned Throughput for ${job.fineTunedModel ?? job.id}: ${units} model unit(s), billed by the hour per unit from the moment it is created until you delete it (no commitment term; see the Bedrock pricing page for the hourly rate of ${job.baseModel}).`;
  ctx.out.info(what);
  if (yes) return;
  const answer = ctx.out.json || !ctx.io.ask ? undefined : await ctx.io.ask('Buy it? [y/N] ');
  if (answer !== undefined && /^\s*y(es)?\s*$/i.test(answer)) return;
  throw new UsageError('provisioned_not_confirmed', `Not deployed: Provisioned Throughput bills by the hour, and ${answer === undefined ? 'there is no terminal to confirm it at' : 'it was not confirmed'}.`, {
    hint: 'pass --yes to accept the hourly charge (and delete it when you no longer need it)',
  });
}
