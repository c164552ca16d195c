/**
 * Together AI fine-tuning through its official SDK (`together-ai`): jobs, events, checkpoints,
 * files, models and the price estimate. The one call the SDK cannot make is the upload (see
 * docs/providers.md): that is Together's documented `POST /files/upload`, streamed from disk by
 * `rest.ts`. Every option is passed explicitly, so the SDK reads no `TOGETHER_*` variable itself.
 */
import { basename } from 'node:path';
import Together from 'together-ai';
import type { FailureContext } from '../errors.js';
import { accountKeyOf, createOnce, pageOf, requireKey, streamUpload } from '../rest.js';
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
  ProviderCostEstimate,
  ProviderSettings,
  RequestOptions,
  UploadedFile,
  UploadRequest,
  WireRequest,
} from '../types.js';
import { togetherCapabilities } from './capabilities.js';
import { call, callOrMissing, failureOf } from './errors.js';
import { toCheckpoint, toCreateBody, toEvent, toJob, toUploadedFile, type TogetherCheckpoint, type TogetherEvent, type TogetherFile, type TogetherJob } from './mapping.js';
import { lookUpMarked } from './find.js';
import { fromPrice, toPriceRequest, type TogetherPrice } from './price.js';
import { anySignal } from '../signals.js';

/** The host in the `servers` list of Together's official OpenAPI spec. */
export const DEFAULT_BASE_URL = 'https://api.together.ai/v1';

export const factory: ProviderFactory = {
  name: 'together',
  displayName: 'Together AI',
  env: { apiKey: 'TOGETHER_API_KEY', baseUrl: 'TOGETHER_BASE_URL' },
  create: (settings) => new TogetherProvider(settings),
};

type Params<T extends (...args: never[]) => unknown> = Parameters<T>[0];
/** SDK request options carrying the caller's signal (the SDK aborts the request and its retries). */
const sdk = (opts: RequestOptions) => ({ signal: opts.signal });

class TogetherProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = togetherCapabilities;
  private readonly sdk: Together;
  private readonly key: string;
  private readonly baseUrl: string;

  constructor(private readonly settings: ProviderSettings) {
    this.key = requireKey(factory, settings);
    this.baseUrl = settings.baseUrl ?? DEFAULT_BASE_URL;
    this.sdk = this.client(settings.fetch);
  }

  private client(fetchFn: typeof fetch | undefined): Together {
    return new Together({
      apiKey: this.key,
      baseURL: this.baseUrl,
      projectID: null,
      logLevel: 'off',
      ...(this.settings.maxRetries !== undefined ? { maxRetries: this.settings.maxRetries } : {}),
      ...(this.settings.timeoutMs !== undefined ? { timeout: this.settings.timeoutMs } : {}),
      ...(fetchFn ? { fetch: fetchFn } : {}),
    });
  }

  private ctx(action: string): FailureContext {
    return { provider: this.name, displayName: this.displayName, apiKeyEnv: factory.env.apiKey, action, secrets: [this.key] };
  }

  accountKey(): string {
    return accountKeyOf(this.name, this.baseUrl, this.key);
  }

  async upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const filename = req.filename ?? basename(req.path);
    const file = await streamUpload<TogetherFile>(this.ctx(`upload ${filename}`), {
      url: `${this.baseUrl.replace(/\/+$/, '')}/files/upload`,
      apiKey: this.key,
      path: req.path,
      filename,
      fields: { purpose: 'fine-tune', file_name: filename, file_type: 'jsonl' },
      signal: anySignal(req.signal, opts.signal),
      onProgress: req.onProgress,
    });
    return toUploadedFile(file);
  }

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    const file = await callOrMissing(this.ctx(`look up file ${id}`), () => this.sdk.files.retrieve(id, sdk(opts)));
    return file && toUploadedFile(file as TogetherFile);
  }

  /**
   * The create is sent once: a lost answer is `job_create_unconfirmed`, never a blind retry
   * (Together has no idempotency key). The suffix carries the ledger id for `findCreatedJob`.
   */
  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const body = toCreateBody(req, req.ledgerId) as unknown as Params<Together['fineTuning']['create']>;
    const ctx = this.ctx('create the fine-tuning job');
    const job = await createOnce(ctx, this.settings.fetch, opts.signal, (fetchOnce, signal) => this.client(fetchOnce).fineTuning.create(body, { signal }), failureOf);
    return toJob(job as TogetherJob);
  }

  previewCreateJob(req: CreateJobRequest): WireRequest {
    return { method: 'POST', url: `${this.baseUrl.replace(/\/+$/, '')}/fine-tunes`, body: toCreateBody(req, req.ledgerId) };
  }

  /** By the ledger id at the end of the suffix, in the one job list Together returns (`find.ts`). */
  async findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    return lookUpMarked(await this.allJobs(opts), mark);
  }

  async getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob((await call(this.ctx(`get job ${id}`), () => this.sdk.fineTuning.retrieve(id, sdk(opts)))) as TogetherJob);
  }

  /** Together returns every job in one list, in no documented order; llmgw pages it newest first. */
  async listJobs(list: ListJobsOptions = {}, opts: RequestOptions = {}): Promise<Page<Job>> {
    const jobs = (await this.allJobs(opts)).map(toJob).sort((a, b) => b.createdAt - a.createdAt);
    return pageOf(jobs, (j) => j.id, list);
  }

  private async allJobs(opts: RequestOptions): Promise<TogetherJob[]> {
    const list = await call(this.ctx('list fine-tuning jobs'), () => this.sdk.fineTuning.list(sdk(opts)));
    return list.data as TogetherJob[];
  }

  async cancelJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob((await call(this.ctx(`cancel job ${id}`), () => this.sdk.fineTuning.cancel(id, sdk(opts)))) as TogetherJob);
  }

  async listEvents(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<JobEvent>> {
    const res = await call(this.ctx(`list events of job ${jobId}`), () => this.sdk.fineTuning.listEvents(jobId, sdk(opts)));
    const events = (res.data as TogetherEvent[]).map((e, i) => toEvent(e, i, jobId)).reverse();
    return pageOf(events, (e) => e.id, list);
  }

  async listCheckpoints(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<Checkpoint>> {
    const res = await call(this.ctx(`list checkpoints of job ${jobId}`), () => this.sdk.fineTuning.listCheckpoints(jobId, sdk(opts)));
    const checkpoints = (res.data as TogetherCheckpoint[]).map((c) => toCheckpoint(c, jobId)).sort((a, b) => b.step - a.step);
    return pageOf(checkpoints, (c) => c.id, list);
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    // Together has no single-model lookup; the list holds base and fine-tuned models.
    const models = await call(this.ctx(`look up model ${id}`), () => this.sdk.models.list(undefined, sdk(opts)));
    const found = models.find((m) => m.id === id);
    return { id, exists: found !== undefined, shutdownDate: null, ownedBy: found?.organization ?? undefined };
  }

  /** Together's own estimate for a job on an uploaded file (`POST /fine-tunes/estimate-price`). */
  async estimateCost(req: Omit<CreateJobRequest, 'ledgerId'>, opts: RequestOptions = {}): Promise<ProviderCostEstimate> {
    const body = toPriceRequest(req) as unknown as Params<Together['fineTuning']['estimatePrice']>;
    const price = await call(this.ctx('estimate the job price'), () => this.sdk.fineTuning.estimatePrice(body, sdk(opts)));
    return fromPrice(price as TogetherPrice);
  }
}

