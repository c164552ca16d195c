import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { sha256File, jobFingerprint, stableStringify } from '../../../core/jobs/fingerprint.js';
import { creatingEntry, type Ledger, type LedgerFileRef, type LedgerJob } from '../../../core/jobs/ledger.js';
import { checkStartExtras } from '../../../core/jobs/preflight.js';
import { createOnce, findExisting } from '../../../core/jobs/submit.js';
import { cachedUpload, ensureUploaded } from '../../../core/jobs/upload-cache.js';
import { assertJobRequest } from '../../../core/providers/preflight.js';
import { ProviderError, UsageError } from '../../../core/errors.js';
import type { CreateJobRequest, FineTuningProvider } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { resolveDefault } from '../../settings.js';
import { openLedger, openProvider, parseDuration, projectFlags, providerName } from './context.js';
import { settleEntry, startCommand } from './creating.js';
import { jobView } from './render.js';
import { checkCost, checkData, confirmCost, describeEstimate, usd } from './start.checks.js';
import { checkProviderCost } from './start.price.js';
import { readJsonFile, resolveHyperparameters } from './start.hyper.js';
import { checkWindDown } from './start.winddown.js';
import { report, type Reporting } from './start.report.js';
import { dataFile, parseStartRequest, type StartOpts, type StartRequest } from './start.request.js';
import { renderDryRun, type PlannedUpload } from './start.render.js';
import { isRemoteSpec as isRemote } from '../../../core/dataset/input/schemes.js';
import { remoteFile } from './start.remote.js';

/**
 * `tune start`: pre-flight → validate → cost → hash → idempotency (an entry left `creating` is
 * settled at once) → upload (cached by hash) → ledger entry → create (reconciled when
 * ambiguous) → print the job, or follow it with --wait (and --register it).
 */
export async function run(ctx: CommandContext, _args: string[], opts: StartOpts): Promise<number> {
  const baseModel = resolveDefault(ctx, 'model', { value: opts.model, name: '--model' }).value;
  if (!baseModel) throw new UsageError('missing_model', 'No base model given to fine-tune.', { hint: 'pass --model, e.g. --model gpt-4.1-mini-2025-04-14 (or set a default with `llmgw config set model …`)' });
  const parsed = parseStartRequest(opts, baseModel);
  if (opts.register !== undefined && !opts.wait) {
    throw new UsageError('register_needs_wait', '--register registers the model once the job succeeds, so it needs --wait.', { hint: `add --wait, or register later with \`llmgw models register ${opts.register} <model>\`` });
  }
  if (opts.timeout !== undefined) ctx.out.warn('--timeout on tune start is deprecated: it is the time limit per request, now spelled --request-timeout (the wait\'s limit is --wait-timeout).');
  const provider = await openProvider(ctx, providerName(ctx, opts), { ...opts, requestTimeout: opts.requestTimeout ?? opts.timeout }, { offline: opts.dryRun === true });
  checkWindDown(ctx, provider, parsed.method);
  checkProvisioned(ctx, provider, opts);
  const hyperparameters = await resolveHyperparameters(ctx.io.cwd, opts, parsed.hyperparameters, provider.capabilities, parsed.method, provider.displayName);
  const grader = opts.grader === undefined ? undefined : await graderFile(ctx.io.cwd, opts.grader);
  const req: StartRequest = { ...parsed, hyperparameters, grader: grader?.config };
  preflight(provider, req);
  const waitTimeoutMs = opts.waitTimeout === undefined ? undefined : parseDuration(opts.waitTimeout, '--wait-timeout');
  // Data already at the provider (`--train gs://…`) is used where it is: no local check, no upload.
  const remoteTrain = isRemote(opts.train) ? await remoteFile(ctx, provider, opts.train, 'training', '--train', opts.dryRun === true) : undefined;
  const remoteValidation = opts.validation !== undefined && isRemote(opts.validation) ? await remoteFile(ctx, provider, opts.validation, 'validation', '--validation', opts.dryRun === true) : undefined;
  const train = remoteTrain?.path ?? (await dataFile(ctx.io.cwd, opts.train, '--train'));
  const validation = opts.validation === undefined ? undefined : (remoteValidation?.path ?? (await dataFile(ctx.io.cwd, opts.validation, '--validation')));

  const epochs = typeof req.hyperparameters.epochs === 'number' ? req.hyperparameters.epochs : undefined;
  const checked = await checkData(ctx, { train: remoteTrain ? undefined : train, validation: remoteValidation ? undefined : validation }, { provider: provider.name, baseModel: req.baseModel, method: req.method, epochs });
  const estimate = remoteTrain ? null : checked.estimate;
  if (req.method === 'reinforcement') ctx.out.info('Reinforcement fine-tuning is billed by training time, not tokens: llmgw cannot estimate its cost.');
  // A provider that prices the job itself settles --max-cost once the files are uploaded (start.price.ts).
  if (!provider.estimateCost || estimate?.estimatedCostUsd != null) checkCost(estimate, opts.maxCost);
  if (estimate && estimate.estimatedCostUsd !== null) ctx.out.info(`Estimated training cost: ${usd(estimate.estimatedCostUsd)} (${describeEstimate(estimate)}).`);

  const [trainHash, validationHash] = await Promise.all([remoteTrain ?? sha256File(train), remoteValidation ?? (validation ? sha256File(validation) : undefined)]);
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
    graderSha256: grader?.sha256,
  });
  const files: PlannedUpload[] = [remoteTrain ?? { role: 'training', path: train, filename: basename(train), ...trainHash, fileId: null, reused: false }];
  if (validation && validationHash) files.push(remoteValidation ?? { role: 'validation', path: validation, filename: basename(validation), ...validationHash, fileId: null, reused: false });

  if (opts.dryRun) {
    for (const f of files) if (f.fileId === null) f.fileId = (await cachedUpload(ledger, provider, f.sha256, req.baseModel))?.fileId ?? null;
    const create: CreateJobRequest = { ...createRequest(req, files), ledgerId: '<ledger id>' };
    const uploads = files.map((f) => ({ ...f, method: f.bytes > provider.capabilities.maxSingleUploadBytes ? 'multipart' : 'single' }));
    const plan = { dryRun: true as const, provider: provider.name, fingerprint, estimate, uploads, create, request: provider.previewCreateJob?.(create) ?? null };
    if (ctx.out.json) ctx.out.printJson(plan);
    else ctx.out.print(renderDryRun(plan, ctx.out.c));
    return 0;
  }

  // The wait's deadline counts from here: everything before it is local work or an upload.
  const reporting = (entry: LedgerJob): Reporting => ({ provider, ledger, entry, opts, deadline: waitTimeoutMs === undefined ? undefined : ctx.io.now() + waitTimeoutMs });
  const flags = projectFlags(opts);
  let retry: LedgerJob | undefined;
  if (!opts.force) {
    const existing = await findExisting(provider, ledger, fingerprint, { signal: ctx.io.signal, projectFlags: flags });
    if (existing?.kind === 'duplicate') {
      ctx.out.info(`This exact job (same data, base model and settings) already exists (${existing.job.status}): not starting another (pass --force to start a new one).`);
      return report(ctx, { job: jobView(existing.job, existing.entry), duplicate: true, uploads: [] }, reporting(existing.entry));
    }
    if (existing?.kind === 'busy') return another(ctx, provider, ledger, existing.entry, files, reporting);
    if (existing?.kind === 'retry') {
      ctx.out.info(`${provider.displayName} has no job for ${existing.entry.ledgerId} (its create call never reached it): creating it now.`);
      retry = existing.entry;
    }
  }

  await confirmCost(ctx, estimate, opts.yes === true);
  // The provider's own word on the base model (e.g. Bedrock: offered in this Region, not end of life) before any upload.
  await provider.checkBaseModel?.(req.baseModel, { signal: ctx.io.signal });
  for (const f of files) if (f.fileId === null) await upload(ctx, provider, ledger, f, req.baseModel);
  await checkProviderCost(ctx, provider, createRequest(req, files), opts.maxCost);

  const ref = (f: PlannedUpload | undefined): LedgerFileRef | null => (f ? { path: isRemote(f.path) ? f.path : ledger.storedPath(f.path), sha256: f.sha256, bytes: f.bytes, fileId: f.fileId } : null);
  let entry: LedgerJob;
  if (retry) {
    entry = (await ledger.update(retry.ledgerId, { training: ref(files[0]) as LedgerFileRef, validation: ref(files[1]), creator: ledger.creator() })) ?? retry;
  } else {
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
        grader: grader ? { path: ledger.storedPath(grader.path), sha256: grader.sha256 } : null,
      },
      new Date(ctx.io.now()).toISOString(),
      ledger.creator(),
    );
    // Under the ledger lock: a concurrent start of the same request that got here first wins.
    const appended = await ledger.append(draft, opts.force ? undefined : (jobs) => jobs.find((j) => j.fingerprint === fingerprint && j.state === 'creating'));
    if (!appended.appended) return another(ctx, provider, ledger, appended.job, files, reporting);
    entry = appended.job;
  }
  const job = await createOnce(provider, ledger, entry, createRequest(req, files), {
    signal: ctx.io.signal,
    projectFlags: flags,
    onReconcile: (err, attempt) => ctx.out.warn(`${err.message} Checking whether the job was created anyway (attempt ${attempt}).`),
  }).catch(async (err: unknown) => {
    // Only a create whose outcome is unknown (the entry is still `creating`) is settled by running the
    // same start again; a refusal (create_failed) keeps the provider's own fix.
    const after = await ledger.find(entry.ledgerId).catch(() => undefined);
    throw after?.state === 'creating' ? withRerunHint(err, startCommand(ctx, ledger, entry, flags + followFlags(opts))) : err;
  });
  const saved = (await ledger.find(entry.ledgerId)) ?? entry;
  return report(ctx, { job: jobView(job, saved), duplicate: false, uploads: files }, reporting(saved));
}

/**
 * Another llmgw process is creating the same job right now. With --wait: wait for it, then
 * follow the job; without: report the entry (its `tune watch` waits the same way).
 */
async function another(ctx: CommandContext, provider: FineTuningProvider, ledger: Ledger, entry: LedgerJob, files: PlannedUpload[], reporting: (e: LedgerJob) => Reporting): Promise<number> {
  ctx.out.info(`Another llmgw process is creating the same job (${entry.ledgerId}): not starting another.`);
  const r = reporting(entry);
  if (!r.opts.wait) return report(ctx, { job: jobView(undefined, entry), duplicate: true, uploads: files }, r);
  const settled = await settleEntry(ctx, provider, ledger, entry, { wait: true, deadline: r.deadline, signal: ctx.io.signal, projectFlags: projectFlags(r.opts) });
  const job = settled.providerJobId ? await provider.getJob(settled.providerJobId, { signal: ctx.io.signal }) : undefined;
  return report(ctx, { job: jobView(job, settled), duplicate: true, uploads: files }, { ...r, entry: settled });
}

/**
 * A create that failed after the retries leaves its entry `creating`, for the next start to settle
 * at once: say so with the command to run (the same start, with the flags that follow the job).
 */
function withRerunHint(err: unknown, again: string): unknown {
  if (!(err instanceof ProviderError) || err.code === 'job_create_undecided') return err;
  return new ProviderError(err.code, err.message, {
    provider: err.provider,
    status: err.status,
    requestId: err.requestId,
    retryable: err.retryable,
    providerCode: err.providerCode,
    hint: `run the same start again when ${err.provider} answers: it first looks for a job this attempt may have made, then creates it (\`${again}\`)`,
    cause: err,
  });
}

/** The flags of the original start that follow the job after it is created. */
function followFlags(opts: StartOpts): string {
  const parts: string[] = [];
  if (opts.wait) parts.push(' --wait');
  if (opts.interval !== undefined) parts.push(` --interval ${opts.interval}`);
  if (opts.waitTimeout !== undefined) parts.push(` --wait-timeout ${opts.waitTimeout}`);
  if (opts.register !== undefined) parts.push(` --register ${opts.register}`);
  return parts.join('');
}

function preflight(provider: FineTuningProvider, req: StartRequest): void {
  const probe: CreateJobRequest = { ...req, ledgerId: 'lj_00000000000000000000', trainingFileId: 'file-probe' };
  assertJobRequest(provider.capabilities, probe, provider.displayName);
  checkStartExtras(req, provider.capabilities);
}

/** The create request (the adapter marks it with the ledger id where its provider keeps it). */
function createRequest(req: StartRequest, files: PlannedUpload[]): Omit<CreateJobRequest, 'ledgerId'> {
  return {
    baseModel: req.baseModel,
    trainingFileId: files[0]?.fileId ?? '<training upload>',
    validationFileId: files[1] ? (files[1].fileId ?? '<validation upload>') : undefined,
    method: req.method,
    hyperparameters: req.hyperparameters,
    suffix: req.suffix,
    seed: req.seed,
    metadata: req.metadata,
    grader: req.grader,
  };
}

/** `--grader FILE`: the grader configuration, and its hash for the fingerprint. */
async function graderFile(cwd: string, path: string): Promise<{ path: string; sha256: string; config: Record<string, unknown> }> {
  const config = (await readJsonFile(cwd, path, '--grader')) as Record<string, unknown>;
  return { path: resolve(cwd, path), sha256: createHash('sha256').update(stableStringify(config)).digest('hex'), config };
}

async function upload(ctx: CommandContext, provider: FineTuningProvider, ledger: Ledger, f: PlannedUpload, baseModel: string): Promise<void> {
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
      onResume: (p) => spinner.note(`${f.filename}: resuming upload at ${mib(p.sentBytes)} MiB of ${mib(p.totalBytes)} MiB (sent by an earlier run that stopped)`),
    });
    f.fileId = res.file.id;
    f.reused = res.reused;
    f.resumedFrom = res.file.resumedFrom ?? 0;
    f.conversionNotes = res.file.conversionNotes ?? [];
    spinner.stop();
    const resumed = f.resumedFrom > 0 ? `, of which ${size(f.resumedFrom)} sent by an earlier run` : '';
    ctx.out.info(res.reused ? `${f.filename}: already uploaded as ${res.file.id}` : `${f.filename}: uploaded as ${res.file.id} (${size(f.bytes)}${resumed})`);
    // What the conversion to the provider's format changed is said, never applied silently.
    for (const n of f.conversionNotes) {
      ctx.out.warn(`${f.filename}: converted for ${provider.displayName}: ${n.note} (${n.count} example${n.count === 1 ? '' : 's'}, first at line ${n.firstLine}).`);
    }
  } catch (err) {
    spinner.fail(`upload of ${f.filename} failed`);
    throw err;
  }
}

function mib(n: number): string {
  return (n / 1048576).toFixed(1);
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/**
 * `--provisioned` is checked before anything is uploaded or trained: a deployment asked for
 * wrongly would otherwise fail only after hours of paid training.
 */
function checkProvisioned(ctx: CommandContext, provider: FineTuningProvider, opts: StartOpts): void {
  if (!opts.provisioned) {
    if (opts.modelUnits !== undefined) throw new UsageError('model_units_without_provisioned', '--model-units is the size of a Provisioned Throughput purchase, and --provisioned was not given.', { hint: 'add --provisioned (with --register), or drop --model-units' });
    return;
  }
  if (!provider.deploy) throw new UsageError('provisioned_not_offered', `${provider.displayName} needs no deployment, so there is no Provisioned Throughput to buy.`, { hint: 'drop --provisioned and --model-units' });
  if (opts.register === undefined) throw new UsageError('provisioned_needs_register', '--provisioned buys Provisioned Throughput when the model is deployed for --register, and no --register was given.', { hint: 'add --wait --register ALIAS, or deploy later with `llmgw tune deploy <job> --provisioned --model-units N`' });
  if (opts.modelUnits === undefined || !Number.isInteger(opts.modelUnits) || opts.modelUnits < 1) {
    throw new UsageError('model_units_missing', '--provisioned buys Provisioned Throughput, which needs the number of model units.', { hint: 'add --model-units 1 (each unit is billed by the hour)' });
  }
  if (opts.yes !== true && (ctx.out.json || !ctx.io.ask)) {
    throw new UsageError('provisioned_not_confirmed', 'Provisioned Throughput bills by the hour once the model is deployed, and there is no terminal to confirm it at when training ends.', { hint: 'pass --yes to accept the hourly charge now (and delete it when you no longer need it)' });
  }
}
