import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { sha256File, jobFingerprint } from '../../../core/jobs/fingerprint.js';
import { creatingEntry, type LedgerFileRef, type LedgerJob } from '../../../core/jobs/ledger.js';
import { checkStartExtras } from '../../../core/jobs/preflight.js';
import { LEDGER_METADATA_KEY, tagsJobs } from '../../../core/jobs/reconcile.js';
import { createOnce, findDuplicate } from '../../../core/jobs/submit.js';
import { cachedUpload, ensureUploaded } from '../../../core/jobs/upload-cache.js';
import { assertJobRequest } from '../../../core/providers/preflight.js';
import { UsageError, isLlmgwError } from '../../../core/errors.js';
import type { CreateJobRequest, FineTuningProvider, Job } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import type { JobResult } from '../../../core/manifest/register-job.js';
import { resolveDefault } from '../../settings.js';
import { openLedger, openProvider, parseDuration, providerName } from './context.js';
import { followJob } from './follow.js';
import { displayPath, manifestPath, writeOptions } from '../models/shared.js';
import { jobView } from './render.js';
import { checkCost, checkData, confirmCost, describeEstimate, usd } from './start.checks.js';
import { dataFile, parseStartRequest, type StartOpts, type StartRequest } from './start.request.js';
import { renderDryRun, renderStarted, type PlannedUpload, type StartResult } from './start.render.js';

/**
 * `tune start`: pre-flight → validate → cost → hash → idempotency → upload (cached by hash) →
 * ledger entry → create (reconciled when ambiguous) → print the job, or follow it with --wait.
 */
export async function run(ctx: CommandContext, _args: string[], opts: StartOpts): Promise<number> {
  const baseModel = resolveDefault(ctx, 'model', { value: opts.model, name: '--model' }).value;
  if (!baseModel) throw new UsageError('missing_model', 'No base model given to fine-tune.', { hint: 'pass --model, e.g. --model gpt-4.1-mini-2025-04-14 (or set a default with `llmgw config set model …`)' });
  const req = parseStartRequest(opts, baseModel);
  if (opts.register !== undefined && !opts.wait) {
    throw new UsageError('register_needs_wait', '--register registers the model once the job succeeds, so it needs --wait.', { hint: `add --wait, or register later with \`llmgw models register ${opts.register} <model>\`` });
  }
  const provider = await openProvider(ctx, providerName(ctx, opts), { ...opts, requestTimeout: opts.timeout }, { offline: opts.dryRun === true });
  preflight(provider, req);
  const waitTimeoutMs = opts.waitTimeout === undefined ? undefined : parseDuration(opts.waitTimeout, '--wait-timeout');
  // Data already in the provider's storage (Bedrock: --train s3://…) is used where it is: not validated here, not uploaded.
  const remote = remoteData(provider, [opts.train, opts.validation]);
  const train = remote.has(opts.train) ? opts.train : await dataFile(ctx.io.cwd, opts.train, '--train');
  const validation = opts.validation === undefined ? undefined : remote.has(opts.validation) ? opts.validation : await dataFile(ctx.io.cwd, opts.validation, '--validation');

  const epochs = typeof req.hyperparameters.epochs === 'number' ? req.hyperparameters.epochs : undefined;
  if (remote.size > 0) ctx.out.warn(`${[...remote].join(', ')}: used as stored, so not validated here (check with \`llmgw dataset validate <uri>\`); ${provider.displayName} checks it when the job starts.`);
  const { estimate } = remote.has(train) ? { estimate: null } : await checkData(ctx, { train, validation: validation && !remote.has(validation) ? validation : undefined }, { provider: provider.name, baseModel: req.baseModel, method: req.method, epochs });
  checkCost(estimate, opts.maxCost);
  if (estimate && estimate.estimatedCostUsd !== null) ctx.out.info(`Estimated training cost: ${usd(estimate.estimatedCostUsd)} (${describeEstimate(estimate)}).`);

  const hashOf = async (p: string) => (remote.has(p) ? { sha256: createHash('sha256').update(p).digest('hex'), bytes: 0 } : sha256File(p));
  const [trainHash, validationHash] = await Promise.all([hashOf(train), validation ? hashOf(validation) : undefined]);
  const ledger = openLedger(ctx, opts);
  const account = provider.accountKey();
  const fingerprint = jobFingerprint({
    provider: provider.name,
    account,
    baseModel: req.baseModel,
    method: req.method,
    hyperparameters: req.hyperparameters,
    suffix: req.suffix ?? null,
    seed: req.seed ?? null,
    trainingSha256: trainHash.sha256,
    validationSha256: validationHash?.sha256 ?? null,
  });
  const files: PlannedUpload[] = [{ role: 'training', path: train, filename: basename(train), ...trainHash, fileId: remote.has(train) ? train : null, reused: remote.has(train) }];
  if (validation && validationHash) files.push({ role: 'validation', path: validation, filename: basename(validation), ...validationHash, fileId: remote.has(validation) ? validation : null, reused: remote.has(validation) });

  if (opts.dryRun) {
    for (const f of files) f.fileId = (await cachedUpload(ledger, account, f.sha256))?.fileId ?? null;
    const plan = { dryRun: true as const, provider: provider.name, fingerprint, estimate, uploads: files.map((f) => ({ ...f, method: f.bytes > provider.capabilities.maxSingleUploadBytes ? 'multipart' : 'single' })), create: createRequest(req, files, '<assigned at start>', tagsJobs(provider.capabilities)) };
    if (ctx.out.json) ctx.out.printJson(plan);
    else ctx.out.print(renderDryRun(plan, ctx.out.c));
    return 0;
  }

  if (!opts.force) {
    const dup = await findDuplicate(provider, ledger, fingerprint, ctx.io.now());
    if (dup) {
      ctx.out.info(`This exact job (same data, base model and settings) already exists (${dup.job?.status ?? dup.entry.state}): not starting another (pass --force to start a new one).`);
      return report(ctx, { job: jobView(dup.job, dup.entry), duplicate: true, uploads: [] }, provider, ledger, dup.entry, opts, waitTimeoutMs);
    }
  }

  await confirmCost(ctx, estimate, opts.yes === true);
  // The provider's own word on the base model (e.g. Bedrock: offered in this Region, not end of life) before any upload.
  await provider.checkBaseModel?.(req.baseModel, { signal: ctx.io.signal });
  for (const f of files) if (!f.reused) await upload(ctx, provider, ledger, f, req.baseModel);

  const ref = (f: PlannedUpload | undefined): LedgerFileRef | null => (f ? { path: f.path, sha256: f.sha256, bytes: f.bytes, fileId: f.fileId } : null);
  const draft = creatingEntry(
    {
      provider: provider.name,
      account,
      fingerprint,
      baseModel: req.baseModel,
      method: req.method,
      hyperparameters: req.hyperparameters,
      suffix: req.suffix ?? null,
      seed: req.seed ?? null,
      metadata: req.metadata,
      training: ref(files[0]) as LedgerFileRef,
      validation: ref(files[1]),
    },
    new Date(ctx.io.now()).toISOString(),
  );
  // Under the ledger lock: a concurrent start of the same request that got here first wins.
  const { job: entry, appended } = await ledger.append(draft, opts.force ? undefined : (jobs) => jobs.find((j) => j.fingerprint === fingerprint && j.state === 'creating'));
  if (!appended) {
    ctx.out.info(`Another llmgw process is creating the same job (${entry.ledgerId}): not starting another.`);
    return report(ctx, { job: jobView(undefined, entry), duplicate: true, uploads: files }, provider, ledger, entry, opts, waitTimeoutMs);
  }
  const job = await createOnce(provider, ledger, entry, createRequest(req, files, entry.ledgerId, tagsJobs(provider.capabilities)), {
    signal: ctx.io.signal,
    onReconcile: (err, attempt) => ctx.out.warn(`${err.message} Checking whether the job was created anyway (attempt ${attempt}).`),
  });
  const saved = (await ledger.find(entry.ledgerId)) ?? entry;
  return report(ctx, { job: jobView(job, saved), duplicate: false, uploads: files }, provider, ledger, saved, opts, waitTimeoutMs);
}

/** The data arguments that name storage the provider trains from (`s3://…` for Bedrock); another URI is a usage error. */
function remoteData(provider: FineTuningProvider, specs: (string | undefined)[]): Set<string> {
  const remote = new Set<string>();
  for (const spec of specs) {
    const scheme = spec === undefined ? undefined : /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)?.[1]?.toLowerCase();
    if (spec === undefined || scheme === undefined || scheme === 'file') continue;
    if (!provider.capabilities.remoteSchemes?.includes(scheme)) {
      throw new UsageError('remote_data_not_supported', `${provider.displayName} does not train from ${scheme}:// data (${spec}).`, { hint: 'copy it to a local file and pass its path; llmgw uploads it' });
    }
    remote.add(spec);
  }
  return remote;
}

function preflight(provider: FineTuningProvider, req: StartRequest): void {
  const metadata = tagsJobs(provider.capabilities) ? { ...req.metadata, [LEDGER_METADATA_KEY]: 'lj_probe' } : req.metadata;
  const probe: CreateJobRequest = { ...req, trainingFileId: 'file-probe', metadata };
  assertJobRequest(provider.capabilities, probe, provider.displayName);
  checkStartExtras(req, provider.capabilities);
}

/** The create request as sent: llmgw tags it with the ledger id where the provider keeps metadata (`createOnce` adds the real one). */
function createRequest(req: StartRequest, files: PlannedUpload[], ledgerId: string, tagged: boolean): CreateJobRequest {
  return {
    baseModel: req.baseModel,
    trainingFileId: files[0]?.fileId ?? '<training upload>',
    validationFileId: files[1] ? (files[1].fileId ?? '<validation upload>') : undefined,
    method: req.method,
    hyperparameters: req.hyperparameters,
    suffix: req.suffix,
    seed: req.seed,
    metadata: tagged ? { ...req.metadata, [LEDGER_METADATA_KEY]: ledgerId } : req.metadata,
  };
}

async function upload(ctx: CommandContext, provider: FineTuningProvider, ledger: ReturnType<typeof openLedger>, f: PlannedUpload, baseModel: string): Promise<void> {
  const spinner = await ctx.out.spinner(`uploading ${f.filename}`);
  try {
    const res = await ensureUploaded(provider, ledger, {
      baseModel,
      path: f.path,
      filename: f.filename,
      sha256: f.sha256,
      bytes: f.bytes,
      signal: ctx.io.signal,
      onProgress: (p) => spinner.text(`uploading ${f.filename} ${Math.floor((p.sentBytes / Math.max(1, p.totalBytes)) * 100)}% (${size(p.sentBytes)} of ${size(p.totalBytes)})`),
    });
    f.fileId = res.file.id;
    f.reused = res.reused;
    spinner.stop();
    ctx.out.info(res.reused ? `${f.filename}: already uploaded as ${res.file.id}` : `${f.filename}: uploaded as ${res.file.id} (${size(f.bytes)})`);
  } catch (err) {
    spinner.fail(`upload of ${f.filename} failed`);
    throw err;
  }
}

async function report(
  ctx: CommandContext,
  result: StartResult,
  provider: FineTuningProvider,
  ledger: ReturnType<typeof openLedger>,
  entry: LedgerJob,
  opts: StartOpts,
  waitTimeoutMs: number | undefined,
): Promise<number> {
  if (!opts.wait || !result.job.id) {
    if (ctx.out.json) ctx.out.printJson(result);
    else ctx.out.print(renderStarted(result, ctx.out.c));
    return 0;
  }
  // --wait under --json streams NDJSON: this line, then the watch's lines.
  if (ctx.out.json) ctx.io.stdout.write(`${JSON.stringify({ type: 'started', ...result })}\n`);
  else ctx.out.print(renderStarted(result, ctx.out.c));
  const followed = await followJob(ctx, {
    provider,
    ledger,
    jobId: result.job.id,
    entry: (await ledger.find(entry.ledgerId)) ?? entry,
    intervalMs: opts.interval === undefined ? undefined : opts.interval * 1000,
    timeoutMs: waitTimeoutMs,
  });
  if (followed.exitCode === 0 && opts.register !== undefined && followed.job?.fineTunedModel) {
    // A provider whose models serve traffic only once deployed (Bedrock) deploys first; the manifest records the deployment.
    const serving = provider.deploy ? await deployForRegister(ctx, provider, followed.job, entry.ledgerId, opts, waitTimeoutMs) : undefined;
    await registerResult(ctx, opts, opts.register, followed.job, entry.training.sha256, serving);
  }
  return followed.exitCode;
}

async function deployForRegister(ctx: CommandContext, provider: FineTuningProvider, job: Job, ledgerId: string, opts: StartOpts, waitTimeoutMs: number | undefined): Promise<Record<string, unknown>> {
  const { bedrockServing, deployStep } = await import('./deploy.js');
  const deadline = waitTimeoutMs === undefined ? undefined : ctx.io.now() + waitTimeoutMs;
  const deployment = await deployStep(ctx, provider, job, ledgerId, { ...opts, waitTimeout: undefined }, deadline, ctx.out.json);
  if (!ctx.out.json) ctx.out.info(`${deployment.arn} is ${deployment.providerStatus} (${deployment.kind}, ${deployment.region}).`);
  return { bedrock: bedrockServing(deployment) };
}

/** `--register ALIAS`: adds the new model to the manifest (MANIFEST's core API) once the job succeeded, with how it is served when a deployment step made it serve. */
export async function registerResult(
  ctx: CommandContext,
  opts: { manifest?: string },
  alias: string,
  job: Job,
  datasetHash: string | undefined,
  serving?: Record<string, unknown>,
  output: { print: boolean } = { print: true },
): Promise<{ alias: string; model: string | null; manifest: string; revision: number | null; changed: boolean }> {
  const { registerJobResult } = await import('../../../core/manifest/register-job.js');
  const path = manifestPath(ctx, opts);
  let revision: number | null;
  const result: JobResult & { serving?: Record<string, unknown> } = { alias, provider: job.provider, jobId: job.id, fineTunedModel: job.fineTunedModel ?? '', baseModel: job.baseModel, datasetHash, ...(serving ? { serving } : {}) };
  try {
    const res = await registerJobResult(writeOptions(ctx, path, { reason: `tune start --register ${alias}` }), result);
    revision = res.manifest.revision;
  } catch (err) {
    // A re-run of the same CI step finds the job already done and the model already routed: nothing to do.
    if (!isLlmgwError(err) || err.code !== 'already_registered') throw err;
    ctx.out.info(`${job.fineTunedModel ?? ''} is already on alias ${alias}; the manifest is unchanged.`);
    revision = null;
  }
  const done = { type: 'registered', alias, model: job.fineTunedModel, manifest: displayPath(ctx, path), revision, changed: revision !== null };
  if (!output.print) return { alias, model: done.model, manifest: done.manifest, revision, changed: done.changed };
  if (ctx.out.json) ctx.io.stdout.write(`${JSON.stringify(done)}\n`);
  else if (done.changed) ctx.out.print(`Registered ${job.fineTunedModel ?? ''} under alias ${alias} in ${done.manifest} (revision ${revision}).`);
  return { alias, model: done.model, manifest: done.manifest, revision, changed: done.changed };
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
