import { CheckFailedError, UsageError } from '../../../core/errors.js';
import { enforceGate, type GateDecision } from '../../../core/eval/gate.js';
import { isProviderType } from '../../../core/manifest/provider-types.js';
import { defaultProviderEntry } from '../../../core/manifest/register-job.js';
import { updateManifest } from '../../../core/manifest/store.js';
import { promote, register, type NewModel } from '../../../core/manifest/transitions.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, projectFlags } from '../tune/context.js';
import { displayPath, manifestPath, writeOptions, type WriteOpts } from './shared.js';
import { renderWrite, writeData } from './write.render.js';

interface Opts extends WriteOpts {
  model?: string;
  gate?: string;
  force?: boolean;
  job?: string;
  canary?: number;
  provider?: string;
  baseUrl?: string;
}

/** `llmgw models promote <alias> (--model ID | --job ID) [--canary N]`. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = ''] = args;
  if ((opts.model === undefined) === (opts.job === undefined)) {
    throw new UsageError('promote_needs_one_model', 'Say what to promote with exactly one of --model ID or --job ID.', { hint: `e.g. llmgw models promote ${alias || 'ALIAS'} --model ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345` });
  }
  const path = manifestPath(ctx, opts);
  const fromJob = opts.job === undefined ? undefined : await succeededJobModel(ctx, path, opts.job, opts);
  const modelId = fromJob?.id ?? opts.model ?? '';
  const providerEntry = fromJob && isProviderType(fromJob.provider) ? defaultProviderEntry(fromJob.provider) : undefined;
  const write = writeOptions(ctx, path, opts);
  let gate: GateDecision | undefined;
  const result = await updateManifest(write, (m) => {
    // A job's model that is not registered yet is registered in the same revision.
    const base = fromJob && !m.models[fromJob.id] && m.aliases[alias]
      ? register(m, { alias, model: fromJob, providerEntry: m.providers[fromJob.provider] ? undefined : providerEntry, createdAt: new Date(ctx.io.now()).toISOString() }).manifest
      : m;
    // The eval gate (--gate or the alias's policy); a --force override goes into the history's reason.
    gate = enforceGate(base, alias, modelId, { gate: opts.gate, force: opts.force });
    if (gate?.overridden) write.reason = [opts.reason, gate.overridden].filter(Boolean).join('; ');
    const change = promote(base, alias, modelId, { canary: opts.canary });
    return { ...change, before: m.aliases[alias] ?? null };
  });
  // What the gate decided, in --json; an override is loud, as the history is.
  const checked = gate ? { expr: gate.result.expr, ok: gate.result.ok, overridden: gate.overridden !== undefined, conditions: gate.result.conditions } : null;
  const data = { ...writeData(displayPath(ctx, path), result), gate: checked };
  if (gate?.overridden) ctx.out.warn(`The ${gate.overridden}; the history records it.`);
  else if (gate) ctx.out.info(`The gate "${gate.result.expr}" passed.`);
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderWrite(ctx.out.c, data));
  return 0;
}

/**
 * The fine-tuned model of a job, refused unless the job succeeded. The ledger answers when it
 * already saw the job succeed; otherwise the provider is asked.
 */
async function succeededJobModel(ctx: CommandContext, manifest: string, job: string, opts: Opts): Promise<NewModel> {
  const ledger = openLedger(ctx, { manifest });
  const entry = await ledger.find(job);
  if (entry?.status === 'succeeded' && entry.fineTunedModel && entry.providerJobId) {
    return jobModel(entry.provider, entry.providerJobId, entry.fineTunedModel, entry.baseModel, entry.training.sha256);
  }
  const named = await namedJob(ctx, ledger, job, { provider: opts.provider, baseUrl: opts.baseUrl, manifest });
  const found = await orUnknown(job, named.provider.getJob(named.jobId));
  if (found.status !== 'succeeded' || !found.fineTunedModel) {
    // The printed commands reach the same ledger and provider as this one did.
    const flags = `${entry === undefined && opts.provider !== undefined ? ` --provider ${opts.provider}` : ''}${projectFlags({ manifest: opts.manifest, baseUrl: opts.baseUrl })}`;
    const hint = found.status === 'failed' || found.status === 'cancelled'
      ? `see why with \`llmgw tune status ${job}${flags}\`, fix it and start a new job`
      : `wait for it: \`llmgw tune watch ${job}${flags}\`, then promote again`;
    throw new CheckFailedError('job_not_succeeded', `Job ${named.jobId} is ${found.providerStatus}, not succeeded, so it has no model to promote.`, { hint });
  }
  return jobModel(named.provider.name, named.jobId, found.fineTunedModel, found.baseModel, entry?.training.sha256);
}

function jobModel(provider: string, jobId: string, model: string, baseModel: string, datasetHash: string | undefined): NewModel {
  return { id: model, provider, providerModelId: model, baseModel, jobId, ...(datasetHash ? { datasetHash } : {}) };
}
