/**
 * What `tune start` does once it has a job (new, found again, or already there): print it, or
 * with `--wait` follow it to the end, and with `--register` put the model in the manifest. A
 * start that was asked to wait never exits 0 without a succeeded job, and one asked to register
 * never exits 0 without the manifest entry.
 */
import { ProviderError, isLlmgwError } from '../../../core/errors.js';
import type { Ledger, LedgerJob } from '../../../core/jobs/ledger.js';
import type { ServingFacts } from '../../../core/manifest/register-job.js';
import type { FineTuningProvider, Job } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, writeOptions } from '../models/shared.js';
import { projectFlags } from './context.js';
import { quote } from './creating.js';
import { followJob } from './follow.js';
import { renderStarted, type StartResult } from './start.render.js';
import type { StartOpts } from './start.request.js';
import type { DeployOpts } from './deploy.js';
import { writeJsonLine } from '../../output/ndjson.js';

export interface Reporting {
  provider: FineTuningProvider;
  ledger: Ledger;
  entry: LedgerJob;
  opts: StartOpts;
  /** Absolute time (ms) the wait gives up (exit 5). */
  deadline: number | undefined;
}

export async function report(ctx: CommandContext, result: StartResult, r: Reporting): Promise<number> {
  const watchHint = `llmgw tune watch ${result.job.id ?? r.entry.ledgerId}${projectFlags(r.opts)}`;
  if (!r.opts.wait) {
    if (ctx.out.json) ctx.out.printJson(result);
    else ctx.out.print(renderStarted(result, ctx.out.c, watchHint));
    return 0;
  }
  // --wait under --json streams NDJSON: this line, then the watch's lines.
  if (ctx.out.json) writeJsonLine(ctx.io, { type: 'started', ...result });
  else ctx.out.print(renderStarted(result, ctx.out.c, watchHint));
  if (!result.job.id) throw new Error('report: a job to wait for has an id');
  const followed = await followJob(ctx, {
    provider: r.provider,
    ledger: r.ledger,
    jobId: result.job.id,
    entry: (await r.ledger.find(r.entry.ledgerId)) ?? r.entry,
    intervalMs: r.opts.interval === undefined ? undefined : r.opts.interval * 1000,
    deadline: r.deadline,
    projectFlags: projectFlags(r.opts),
    watchFlags: r.opts.register === undefined ? '' : ` --register ${quote(r.opts.register)}`,
    // --register deploys (where the provider needs it) and registers next: no step is left to the user.
    nextStep: r.opts.register === undefined ? undefined : null,
  });
  if (followed.exitCode !== 0 || r.opts.register === undefined) return followed.exitCode;
  await registerFollowed(ctx, r.provider, followed.job, { jobId: result.job.id, ledgerId: r.entry.ledgerId, datasetHash: r.entry.training.sha256, alias: r.opts.register, opts: r.opts, deadline: r.deadline });
  return 0;
}

export interface RegisterFollowed {
  /** The job id the watch followed (for the message when the watch returned no job). */
  jobId: string;
  ledgerId: string;
  /** How printed commands name the job (default: the ledger id). */
  jobRef?: string | undefined;
  datasetHash: string | undefined;
  alias: string;
  /** The command's flags: the manifest, and for a deployment (Bedrock) `--provisioned`, `--model-units`, `--yes`. */
  opts: DeployOpts;
  deadline: number | undefined;
}

/**
 * `--register` after a watch that ended in success (`start --wait`, `watch`): never without a
 * model id (exit 4, nothing written), deploying first where the provider needs it (Bedrock).
 */
export async function registerFollowed(ctx: CommandContext, provider: FineTuningProvider, job: Job | undefined, o: RegisterFollowed): Promise<void> {
  if (!job?.fineTunedModel) {
    throw new ProviderError('no_model_id', `${provider.displayName} reports job ${job?.id ?? o.jobId} succeeded but names no fine-tuned model, so nothing was registered under ${o.alias}.`, {
      provider: provider.name,
      retryable: true,
      hint: `check it with \`llmgw tune status ${job?.id ?? o.jobId}${projectFlags(o.opts)}\`, then register by hand with \`llmgw models register ${o.alias} <model>${o.opts.manifest === undefined ? '' : ` --manifest ${quote(o.opts.manifest)}`}\``,
    });
  }
  // A provider whose models serve traffic only once deployed (Bedrock) deploys first; the manifest records the deployment.
  // Others say how the finished job serves (Vertex: its endpoint).
  let serving: ServingFacts | undefined;
  if (provider.deploy) {
    const deployed = await (await import('./deploy.js')).deployStep(ctx, provider, job, o.ledgerId, { ...o.opts, waitTimeout: undefined }, o.deadline, ctx.out.json, o.jobRef ?? o.ledgerId);
    serving = deployed.serving as ServingFacts | undefined;
    if (!ctx.out.json) ctx.out.print(`Deployed ${job.fineTunedModel ?? job.id}: ${deployed.id} (${deployed.status}); the manifest routes to it.`);
  } else serving = await provider.servingFacts?.(job, { signal: ctx.io.signal });
  await registerResult(ctx, o.opts, o.alias, job, o.datasetHash, serving);
}

export interface Registered {
  alias: string;
  model: string | null;
  manifest: string;
  revision: number | null;
  changed: boolean;
}

/** `--register ALIAS`: adds the new model to the manifest once the job succeeded, with how it is served when a deployment made it serve. */
export async function registerResult(ctx: CommandContext, opts: { manifest?: string }, alias: string, job: Job, datasetHash: string | undefined, serving?: ServingFacts, output: { print: boolean } = { print: true }): Promise<Registered> {
  const { registerJobResult } = await import('../../../core/manifest/register-job.js');
  const path = manifestPath(ctx, opts);
  let revision: number | null;
  try {
    const res = await registerJobResult(writeOptions(ctx, path, { reason: `tune start --register ${alias}` }), {
      alias,
      provider: job.provider,
      jobId: job.id,
      fineTunedModel: job.fineTunedModel ?? '',
      baseModel: job.baseModel,
      datasetHash,
      serving,
    });
    revision = res.manifest.revision;
  } catch (err) {
    // A re-run of the same CI step finds the job already done and the model already routed: nothing to do.
    if (!isLlmgwError(err) || err.code !== 'already_registered') throw err;
    ctx.out.info(`${job.fineTunedModel ?? ''} is already on alias ${alias}; the manifest is unchanged.`);
    revision = null;
  }
  const result = { alias, model: job.fineTunedModel, manifest: displayPath(ctx, path), revision, changed: revision !== null };
  if (!output.print) return result;
  if (ctx.out.json) writeJsonLine(ctx.io, { type: 'registered', ...result });
  else if (result.changed) ctx.out.print(`Registered ${job.fineTunedModel ?? ''} under alias ${alias} in ${result.manifest} (revision ${revision}).`);
  return result;
}

