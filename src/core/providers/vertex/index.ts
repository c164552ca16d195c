/**
 * Google Vertex AI (Gemini supervised and preference tuning) through the official `@google/genai`
 * SDK in Vertex mode: API v1, the regional endpoint of `--location`, credentials from Application
 * Default Credentials (auth.ts). Training data goes to Cloud Storage by a resumable upload named
 * by its content hash (gcs/). Vertex's create call takes no request id, so every job carries the
 * ledger id as the label `llmgw_ledger_id`, and a lost create is found again by that label.
 */
import { basename } from 'node:path';
import type { CreateTuningJobConfig, GoogleGenAI, TuningJob } from '@google/genai';
import { CheckFailedError, ProviderError, UsageError } from '../../errors.js';
import { createUnconfirmed, type FailureContext } from '../errors.js';
import type { ServingFacts } from '../../manifest/register-job.js';
import { searchJobList } from '../lookup.js';
import { pageOf } from '../rest.js';
import type {
  Checkpoint,
  CreatedJobMark,
  CreateJobRequest,
  FineTuningProvider,
  Job,
  JobEvent,
  JobLookup,
  ListJobsOptions,
  ListOptions,
  Page,
  ProviderFactory,
  ProviderModel,
  ProviderSettings,
  RequestOptions,
  UploadedFile,
  UploadRequest,
  WireRequest,
} from '../types.js';
import { GoogleCredentials } from './auth.js';
import { ADAPTER_SIZES, vertexCapabilities } from './capabilities.js';
import { missingBucketSetting, vertexConfig, type VertexConfig } from './config.js';
import { googleError, type GoogleContext } from './errors.js';
import { JobEvents } from './events.js';
import { GcsClient, gsUri, parseGsUri, type GcsObject } from './gcs/client.js';
import { resumableUpload, uploadContext } from './gcs/upload.js';
import { labelsFor, ledgerLabel, LEDGER_LABEL } from './labels.js';
import { servingOf, toCheckpoints, toJob, type VertexServing } from './mapping.js';
import { prepareTrainingData, trainingBytes } from './training-data.js';
import { anySignal } from '../signals.js';

export const factory: ProviderFactory = {
  name: 'vertex',
  displayName: 'Google Vertex AI',
  // No API key: Google credentials come from Application Default Credentials.
  env: { apiKey: '', baseUrl: 'GOOGLE_VERTEX_BASE_URL', project: 'GOOGLE_CLOUD_PROJECT' },
  create: (settings) => new VertexProvider(settings),
};

/** A job fetched this recently is reused by the events and checkpoints of the same poll. */
const FRESH_MS = 1_000;
const LIST_PAGE = 100;
/** The supervised and preference tuning pages: a validation set of at most 5,000 examples. */
const MAX_VALIDATION_EXAMPLES = 5_000;

export class VertexProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = vertexCapabilities;
  readonly config: VertexConfig;
  private readonly credentials: GoogleCredentials;
  private readonly gcs: GcsClient;
  private clients: Promise<{ read: GoogleGenAI; write: GoogleGenAI }> | undefined;
  private readonly events = new JobEvents();
  private readonly recent = new Map<string, { at: number; job: TuningJob }>();

  constructor(private readonly settings: ProviderSettings) {
    this.config = vertexConfig(settings);
    this.credentials = new GoogleCredentials({ keyFile: this.config.keyFile, fetch: settings.fetch });
    this.gcs = new GcsClient({ emulatorHost: this.config.storageEmulatorHost, credentials: this.credentials, fetch: settings.fetch, maxRetries: settings.maxRetries });
  }

  accountKey(): string {
    const b = this.config.bucket;
    return `vertex:${this.config.baseUrl}:${this.config.project}:${this.config.location}:${b ? gsUri(b.bucket, b.prefix) : ''}`;
  }

  /** Two SDK clients on one identity: reads retry (429/5xx), the create call never does (it is not idempotent). */
  private sdk(): Promise<{ read: GoogleGenAI; write: GoogleGenAI }> {
    this.clients ??= (async () => {
      const { GoogleGenAI } = await import('@google/genai');
      const authClient = await this.credentials.authClient();
      const base = {
        vertexai: true,
        project: this.config.project,
        location: this.config.location,
        apiVersion: 'v1',
        // The genai SDK bundles its own google-auth-library; the client is the same identity.
        googleAuthOptions: { authClient: authClient as never },
      };
      const http = { baseUrl: this.config.baseUrl, ...(this.settings.timeoutMs ? { timeout: this.settings.timeoutMs } : {}), ...(this.settings.fetch ? { fetch: this.settings.fetch } : {}) };
      const attempts = (this.settings.maxRetries ?? 2) + 1;
      return {
        read: new GoogleGenAI({ ...base, httpOptions: { ...http, retryOptions: { attempts } } }),
        write: new GoogleGenAI({ ...base, httpOptions: http }),
      };
    })();
    return this.clients;
  }

  private ctx(action: string): GoogleContext {
    return {
      service: 'Vertex AI',
      action,
      permissionHint: `grant the caller the Vertex AI User role (roles/aiplatform.user) on project ${this.config.project}, and check the project (--project) and region (--location)`,
    };
  }

  /** Runs one SDK call with credentials checked first (so a credentials problem reads as one) and errors mapped. */
  private async call<T>(action: string, signal: AbortSignal | undefined, fn: (sdk: { read: GoogleGenAI; write: GoogleGenAI }) => Promise<T>): Promise<T> {
    const ctx = this.ctx(action);
    try {
      await this.credentials.headers();
      return await fn(await this.sdk());
    } catch (err) {
      throw this.unreachable(googleError(err, ctx, signal));
    }
  }

  /** An unknown region fails in DNS, not with an answer: say so. */
  private unreachable(err: unknown): unknown {
    if (err instanceof ProviderError && err.code === 'provider_unreachable' && this.config.defaultBaseUrl) {
      return new ProviderError('provider_unreachable', `${err.message.replace(/\.$/, '')} (${this.config.location}-aiplatform.googleapis.com).`, {
        provider: 'vertex',
        retryable: true,
        hint: `check the network, and that ${this.config.location} is a Vertex AI region (--location, GOOGLE_CLOUD_LOCATION)`,
      });
    }
    return err;
  }

  /** `projects/…/tuningJobs/N` as given, or a bare N in the configured project and region. */
  private jobName(id: string): string {
    if (id.startsWith('projects/')) return id;
    if (!/^\d+$/.test(id)) throw new UsageError('invalid_job_id', `"${id}" is not a Vertex AI tuning job.`, { hint: 'name a job by its resource name (projects/…/locations/…/tuningJobs/N), its number, or its lj_… ledger id' });
    return `projects/${this.config.project}/locations/${this.config.location}/tuningJobs/${id}`;
  }

  async upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const target = this.config.bucket;
    if (!target) throw missingBucketSetting();
    const signal = anySignal(req.signal, opts.signal);
    const filename = req.filename ?? basename(req.path);
    const data = await prepareTrainingData(req.path, { sha256: req.sha256, bytes: req.bytes }, { signal });
    if (data.bytes > this.capabilities.maxFileBytes) {
      throw new CheckFailedError('file_too_large', `${filename} would be ${(data.bytes / 1024 ** 3).toFixed(2)} GB as Vertex tuning data; Vertex reads training files of at most 1 GB.`, {
        hint: 'split it (`llmgw dataset split`) or trim it; nothing was uploaded',
      });
    }
    const name = `${target.prefix}/${data.sha256}.jsonl`;
    const metadata = { 'llmgw-sha256': data.sha256, 'llmgw-source': filename, 'llmgw-examples': String(data.examples) };
    // Looked up as part of the upload, so a refusal names the role an upload needs.
    const existing = await this.gcs.getObject(target.bucket, name, signal, uploadContext({ bucket: target.bucket, name }));
    // Each change the conversion made is reported, never applied silently (the same whether the object is new or reused).
    const conversionNotes = data.notes.length > 0 ? data.notes : undefined;
    // The record of an unfinished upload names the exact bytes (their hash, size and the source they
    // were converted from) and where they go, so a session is only ever resumed with the same bytes.
    const sessionKey = `vertex ${this.gcs.endpoint} ${gsUri(target.bucket, name)} bytes=${data.bytes} sha256=${data.sha256} source=${req.sha256} format=${data.kind === 'as-is' ? 'vertex' : 'openai-to-vertex'}`;
    const sessions = req.sessions;
    const memory = sessions && {
      recall: () => sessions.get(sessionKey),
      remember: (uri: string) => sessions.set(sessionKey, uri),
      forget: () => sessions.delete(sessionKey),
    };
    // An object by this name ends any earlier session for it (it finished, or the object is replaced anew).
    if (existing) await memory?.forget();
    if (existing && Number(existing.size) === data.bytes && existing.metadata?.['llmgw-sha256'] === data.sha256) {
      req.onProgress?.({ sentBytes: data.bytes, totalBytes: data.bytes });
      return { ...this.fileOf(existing, filename), conversionNotes };
    }
    const outcome = await resumableUpload(this.gcs, trainingBytes(req.path, { signal }), {
      bucket: target.bucket,
      name,
      metadata,
      totalBytes: data.bytes,
      chunkBytes: this.settings.uploadLimits?.uploadPartBytes,
      // Another upload of the same bytes may finish first; then its object is used.
      ifGenerationMatch: existing ? undefined : 0,
      signal,
      onProgress: (sentBytes) => req.onProgress?.({ sentBytes, totalBytes: data.bytes }),
      memory,
      onResume: (sentBytes) => req.onResume?.({ sentBytes, totalBytes: data.bytes }),
    });
    const object = outcome.kind === 'uploaded' ? outcome.object : await this.gcs.getObject(target.bucket, name, signal);
    if (!object) throw new ProviderError('gcs_object_vanished', `Cloud Storage reported ${gsUri(target.bucket, name)} as existing, then could not find it.`, { provider: 'vertex', retryable: true, hint: 'run the command again' });
    const resumedFrom = outcome.kind === 'uploaded' && outcome.resumedFrom > 0 ? outcome.resumedFrom : undefined;
    return { ...this.fileOf(object, filename), conversionNotes, ...(resumedFrom !== undefined ? { resumedFrom } : {}) };
  }

  private fileOf(o: GcsObject, filename: string): UploadedFile {
    return { id: gsUri(o.bucket, o.name), bytes: Number(o.size), filename: o.metadata?.['llmgw-source'] ?? filename, createdAt: o.timeCreated ? Math.floor(Date.parse(o.timeCreated) / 1000) : 0, purpose: 'tuning', status: 'uploaded' };
  }

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    const { bucket, name } = parseGsUri(id);
    const o = await this.gcs.getObject(bucket, name, opts.signal);
    return o && this.fileOf(o, basename(name));
  }

  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const ledgerId = req.ledgerId;
    const config = this.createConfig(req, ledgerId, opts.signal);
    for (const uri of [req.trainingFileId, req.validationFileId]) {
      if (uri !== undefined && !uri.startsWith('gs://')) throw new UsageError('vertex_data_not_in_gcs', `Vertex AI reads tuning data from Cloud Storage, not ${uri}.`, { hint: 'upload it with `llmgw tune start --bucket gs://BUCKET`, or pass --train gs://BUCKET/train.jsonl' });
    }
    if (req.validationFileId) await this.checkValidationSize(req.validationFileId, opts.signal);
    const fc: FailureContext = { provider: 'vertex', displayName: this.displayName, apiKeyEnv: '', action: 'create the tuning job', secrets: [] };
    try {
      const job = await this.call('create the tuning job', opts.signal, (sdk) => sdk.write.tunings.tune({ baseModel: req.baseModel, trainingDataset: { gcsUri: req.trainingFileId }, config }));
      return this.remember(job);
    } catch (err) {
      // The request may have reached Vertex: never create again blindly (the caller looks for the label first).
      if (err instanceof ProviderError && (err.code === 'provider_unreachable' || err.code === 'provider_timeout') && !opts.signal?.aborted) throw createUnconfirmed(fc, err.code === 'provider_timeout' ? 'timeout' : 'connection');
      throw baseModelError(err, req.baseModel);
    }
  }

  /** Vertex takes at most 5,000 validation examples; llmgw counted them when it uploaded the file. */
  private async checkValidationSize(uri: string, signal: AbortSignal | undefined): Promise<void> {
    const { bucket, name } = parseGsUri(uri);
    const count = Number((await this.gcs.getObject(bucket, name, signal))?.metadata?.['llmgw-examples']);
    if (count > MAX_VALIDATION_EXAMPLES) {
      throw new UsageError('validation_too_large', `The validation file has ${count.toLocaleString('en-US')} examples; Vertex AI takes at most ${MAX_VALIDATION_EXAMPLES.toLocaleString('en-US')}.`, {
        hint: 'keep a smaller validation set (e.g. `llmgw dataset split --validation 0.05`), or move the rest into training',
      });
    }
  }

  private createConfig(req: CreateJobRequest, ledgerId: string | undefined, signal: AbortSignal | undefined): CreateTuningJobConfig {
    if (req.seed !== undefined) throw new UsageError('seed_not_supported', 'Vertex AI tuning jobs take no seed.', { hint: 'drop --seed for --provider vertex' });
    const hp = req.hyperparameters;
    const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
    const size = hp.extra?.adapterSize;
    if (size !== undefined && (typeof size !== 'number' || ADAPTER_SIZES[size] === undefined)) {
      throw new UsageError('hyperparameter_out_of_range', `adapterSize ${String(size)} is not an adapter size Gemini tuning takes.`, { hint: `use one of ${Object.keys(ADAPTER_SIZES).join(', ')}` });
    }
    const unknown = Object.keys(hp.extra ?? {}).filter((k) => k !== 'adapterSize');
    if (unknown.length > 0) throw new UsageError('hyperparameter_not_supported', `Vertex AI has no ${unknown.join(', ')} hyperparameter.`, { hint: 'use epochs, learningRateMultiplier, adapterSize and (preference tuning) beta' });
    const config: CreateTuningJobConfig = {
      method: req.method === 'dpo' ? ('PREFERENCE_TUNING' as CreateTuningJobConfig['method']) : ('SUPERVISED_FINE_TUNING' as CreateTuningJobConfig['method']),
      labels: labelsFor(req.metadata, ledgerId),
      abortSignal: signal,
    };
    if (req.validationFileId) config.validationDataset = { gcsUri: req.validationFileId };
    if (req.suffix) config.tunedModelDisplayName = req.suffix;
    if (num(hp.epochs) !== undefined) config.epochCount = num(hp.epochs);
    if (num(hp.learningRateMultiplier) !== undefined) config.learningRateMultiplier = num(hp.learningRateMultiplier);
    if (req.method === 'dpo' && num(hp.beta) !== undefined) config.beta = num(hp.beta);
    if (typeof size === 'number') config.adapterSize = ADAPTER_SIZES[size] as CreateTuningJobConfig['adapterSize'];
    return config;
  }

  /**
   * The create call as the SDK sends it (`POST …/v1/projects/P/locations/L/tuningJobs`): the
   * config's fields go under the method's spec, as `tunings.tune` puts them. The bearer token is
   * minted at send time from Application Default Credentials, so it is never shown.
   */
  previewCreateJob(req: CreateJobRequest): WireRequest {
    const config = this.createConfig(req, req.ledgerId, undefined);
    const hyperParameters: Record<string, unknown> = {};
    if (config.epochCount !== undefined) hyperParameters.epochCount = config.epochCount;
    if (config.learningRateMultiplier !== undefined) hyperParameters.learningRateMultiplier = config.learningRateMultiplier;
    if (config.adapterSize !== undefined) hyperParameters.adapterSize = config.adapterSize;
    if (config.beta !== undefined) hyperParameters.beta = config.beta;
    const spec: Record<string, unknown> = { trainingDatasetUri: req.trainingFileId };
    if (req.validationFileId) spec.validationDatasetUri = req.validationFileId;
    if (Object.keys(hyperParameters).length > 0) spec.hyperParameters = hyperParameters;
    const body: Record<string, unknown> = { baseModel: req.baseModel, [req.method === 'dpo' ? 'preferenceOptimizationSpec' : 'supervisedTuningSpec']: spec };
    if (config.tunedModelDisplayName !== undefined) body.tunedModelDisplayName = config.tunedModelDisplayName;
    // A dry run has no ledger id yet: its placeholder is shown as it is, not as a label value.
    body.labels = /^lj_/.test(req.ledgerId) ? config.labels : { ...config.labels, [LEDGER_LABEL]: req.ledgerId };
    return {
      method: 'POST',
      url: `${this.config.baseUrl.replace(/\/+$/, '')}/v1/projects/${this.config.project}/locations/${this.config.location}/tuningJobs`,
      headers: { authorization: 'Bearer <access token from Google credentials, minted when sent>' },
      body,
    };
  }

  private remember(raw: TuningJob): Job {
    if (raw.name) this.recent.set(raw.name, { at: Date.now(), job: raw });
    return toJob(raw);
  }

  /** The raw job, from the last second's fetch when there was one. */
  private async raw(id: string, signal: AbortSignal | undefined, fresh = false): Promise<TuningJob> {
    const name = this.jobName(id);
    const hit = this.recent.get(name);
    if (!fresh && hit && Date.now() - hit.at < FRESH_MS) return hit.job;
    const job = await this.call(`get tuning job ${name}`, signal, (sdk) => sdk.read.tunings.get({ name, config: { abortSignal: signal } }));
    this.recent.set(name, { at: Date.now(), job });
    return job;
  }

  async getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob(await this.raw(id, opts.signal, true));
  }

  async listJobs(list: ListJobsOptions = {}, opts: RequestOptions = {}): Promise<Page<Job>> {
    const pageSize = Math.min(list.limit ?? 20, LIST_PAGE);
    const pager = await this.call('list tuning jobs', opts.signal, (sdk) => sdk.read.tunings.list({ config: { pageSize, ...(list.after ? { pageToken: list.after } : {}), abortSignal: opts.signal } }));
    let jobs = pager.page.map(toJob);
    const wanted = Object.entries(list.metadata ?? {});
    if (wanted.length > 0) jobs = jobs.filter((j) => wanted.every(([k, v]) => j.metadata[k] === v));
    const next = (pager.params.config as { pageToken?: string } | undefined)?.pageToken;
    return { data: jobs, hasMore: Boolean(next), nextCursor: next ?? null };
  }

  /**
   * The job a ledger entry asked for, by its label (never by time): every page, through the
   * shared cursor guard; a list that cannot be read to its end is `unknown`, never `absent`.
   */
  async findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    const label = ledgerLabel(mark.ledgerId);
    return searchJobList((after) => this.listJobs({ after, limit: LIST_PAGE }, opts), (j) => j.metadata[LEDGER_LABEL] === label, { what: 'the tuning jobs of Vertex AI', signal: opts.signal });
  }

  async cancelJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    const name = this.jobName(id);
    await this.call(`cancel tuning job ${name}`, opts.signal, (sdk) => sdk.read.tunings.cancel({ name, config: { abortSignal: opts.signal } }));
    // Cancelling is best effort: the job reads JOB_STATE_CANCELLING until Vertex stops it, then CANCELLED with error code 1.
    return toJob(await this.raw(name, opts.signal, true));
  }

  async listEvents(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<JobEvent>> {
    return pageOf(this.events.list(await this.raw(jobId, opts.signal)), (e) => e.id, list);
  }

  async listCheckpoints(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<Checkpoint>> {
    return pageOf(toCheckpoints(await this.raw(jobId, opts.signal)), (c) => c.id, list);
  }

  /** Project, region, endpoint (and its number) and tuned model of a succeeded job, for the manifest. */
  async serving(jobId: string, opts: RequestOptions = {}): Promise<VertexServing | undefined> {
    return servingOf(await this.raw(jobId, opts.signal));
  }

  async servingFacts(job: Job, opts: RequestOptions = {}): Promise<ServingFacts | undefined> {
    const vertex = await this.serving(job.id, opts);
    return vertex && { vertex };
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    const path = id.startsWith('projects/') || id.startsWith('publishers/') ? id : `publishers/google/models/${id}`;
    const url = `${this.config.baseUrl}/v1/${path}`;
    const res = await this.call(`look up ${id}`, opts.signal, async () => (this.settings.fetch ?? fetch)(url, { headers: await this.credentials.headers(url), signal: opts.signal }));
    if (res.status === 404) return { id, exists: false, shutdownDate: null };
    if (!res.ok) throw googleError(Object.assign(new Error(await res.text()), { name: 'ApiError', status: res.status }), this.ctx(`look up ${id}`));
    await res.body?.cancel();
    return { id, exists: true, shutdownDate: null, ownedBy: id.startsWith('projects/') ? this.config.project : 'google' };
  }
}

/** Vertex's refusal of a base model it cannot tune, as a usage error with the fix. */
function baseModelError(err: unknown, baseModel: string): unknown {
  if (!(err instanceof UsageError) || !/base.?model|not supported for tuning|cannot be tuned|unsupported model/i.test(err.message)) return err;
  return new UsageError('base_model_not_supported', `Vertex AI cannot tune ${baseModel} here: ${err.message.replace(/^[^:]*: /, '')}`, {
    hint: 'use a Gemini model Vertex tunes in this region, e.g. --model gemini-2.5-flash (see "Supported models" in Vertex AI\'s tuning docs)',
  });
}
