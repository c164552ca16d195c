import OpenAI from 'openai';
import { maskSecret } from '../../config/mask.js';
import { createUnconfirmed, type FailureContext } from '../errors.js';
import { LEDGER_METADATA_KEY, searchJobList } from '../lookup.js';
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
  ProviderCapabilities,
  ProviderModel,
  ProviderSettings,
  RequestOptions,
  UploadedFile,
  UploadRequest,
  WireRequest,
} from '../types.js';
import { OPENAI_LIMITS, openaiCapabilities } from './capabilities.js';
import { failureOf, mapOpenAIError } from './errors.js';
import { toCheckpoint, toCreateParams, toEvent, toJob, toUploadedFile } from './mapping.js';
import { uploadTrainingFile, type UploadPlan } from './upload.js';
import { shutdownDay } from '../../models/shutdown-date.js';
import { anySignal } from '../signals.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The OpenAI fine-tuning API through the official SDK, which does the retries and timeouts. */
export class OpenAIProvider implements FineTuningProvider {
  readonly name = 'openai';
  readonly displayName = 'OpenAI';
  readonly capabilities: ProviderCapabilities;
  private readonly client: OpenAI;
  private readonly baseUrl: string;
  private readonly plan: UploadPlan;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly settings: ProviderSettings & { apiKey: string },
    private readonly apiKeyEnv: string,
  ) {
    const limits = settings.uploadLimits ?? {};
    this.capabilities = openaiCapabilities(limits);
    this.baseUrl = settings.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
    this.fetch = settings.fetch ?? globalThis.fetch;
    this.plan = {
      maxSingleUploadBytes: this.capabilities.maxSingleUploadBytes,
      partBytes: this.capabilities.uploadPartBytes ?? OPENAI_LIMITS.uploadPartBytes,
      concurrency: limits.concurrency ?? OPENAI_LIMITS.uploadConcurrency,
      fetch: settings.fetch,
    };
    // Every option is passed explicitly (null, not undefined) so the SDK never falls back to process.env.
    this.client = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: this.baseUrl,
      organization: settings.organization ?? null,
      project: settings.project ?? null,
      webhookSecret: null,
      logLevel: 'off',
      fetch: this.fetch,
      ...(settings.maxRetries !== undefined && { maxRetries: settings.maxRetries }),
      ...(settings.timeoutMs !== undefined && { timeout: settings.timeoutMs }),
    });
  }

  accountKey(): string {
    return `${this.baseUrl.replace(/\/+$/, '')}#org=${this.settings.organization ?? ''}&project=${this.settings.project ?? ''}`;
  }

  upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const signal = anySignal(req.signal, opts.signal);
    return this.call('upload the training file', () => uploadTrainingFile(this.client, { ...req, signal }, this.plan));
  }

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    try {
      return toUploadedFile(await this.client.files.retrieve(id, sdk(opts)));
    } catch (err) {
      if (failureOf(err)?.status === 404) return undefined;
      throw this.mapped(err, `look up file ${id}`);
    }
  }

  /**
   * The SDK retries 429 and 5xx answers here as everywhere, but not a lost connection or a
   * timeout: the job may exist by then, and a blind retry would start a second one. The fetch
   * guard aborts the call on the first such failure, which stops the SDK's retries.
   */
  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const params = this.createParams(req);
    const action = 'create the fine-tuning job';
    const guard = new AbortController();
    let lost: unknown;
    const fetchOnce: typeof fetch = async (input, init) => {
      try {
        return await this.fetch(input, init);
      } catch (err) {
        lost = err ?? new Error('fetch failed');
        guard.abort();
        throw err;
      }
    };
    const signal = opts.signal ? AbortSignal.any([opts.signal, guard.signal]) : guard.signal;
    try {
      return toJob(await this.client.withOptions({ fetch: fetchOnce }).fineTuning.jobs.create(params, { signal }), this.name);
    } catch (err) {
      if (lost !== undefined && !opts.signal?.aborted) {
        // The SDK enforces its timeout by aborting the fetch.
        const timedOut = lost instanceof Error && lost.name === 'AbortError';
        throw createUnconfirmed(this.context(action), timedOut ? 'timeout' : 'connection');
      }
      throw this.mapped(err, action, { creatingJob: true });
    }
  }

  /** The job carries its ledger id in `metadata.llmgw_ledger_id`, which the job list can filter on. */
  private createParams(req: CreateJobRequest): ReturnType<typeof toCreateParams> {
    return toCreateParams({ ...req, metadata: { ...req.metadata, [LEDGER_METADATA_KEY]: req.ledgerId } });
  }

  previewCreateJob(req: CreateJobRequest): WireRequest {
    const headers: Record<string, string> = { authorization: `Bearer ${maskSecret(this.settings.apiKey)}` };
    if (this.settings.organization) headers['openai-organization'] = this.settings.organization;
    if (this.settings.project) headers['openai-project'] = this.settings.project;
    return { method: 'POST', url: `${this.baseUrl.replace(/\/+$/, '')}/fine_tuning/jobs`, headers, body: this.createParams(req) };
  }

  /** By the ledger id in the job's metadata, which OpenAI's job list filters on. */
  findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    const metadata = { [LEDGER_METADATA_KEY]: mark.ledgerId };
    const load = (after: string | undefined): Promise<Page<Job>> => this.listJobs({ after, limit: 100, metadata }, opts);
    return searchJobList(load, (j) => j.metadata[LEDGER_METADATA_KEY] === mark.ledgerId, { what: `the jobs of ${this.displayName}`, signal: opts.signal });
  }

  getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return this.call(`look up job ${id}`, async () => toJob(await this.client.fineTuning.jobs.retrieve(id, sdk(opts)), this.name));
  }

  listJobs(list: ListJobsOptions = {}, opts: RequestOptions = {}): Promise<Page<Job>> {
    return this.call('list fine-tuning jobs', async () => {
      const page = await this.client.fineTuning.jobs.list({ ...cursor(list), ...(list.metadata && { metadata: list.metadata }) }, sdk(opts));
      return pageOf(page.data.map((j) => toJob(j, this.name)), page.has_more);
    });
  }

  cancelJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return this.call(`cancel job ${id}`, async () => toJob(await this.client.fineTuning.jobs.cancel(id, sdk(opts)), this.name));
  }

  pauseJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return this.call(`pause job ${id}`, async () => toJob(await this.client.fineTuning.jobs.pause(id, sdk(opts)), this.name));
  }

  resumeJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return this.call(`resume job ${id}`, async () => toJob(await this.client.fineTuning.jobs.resume(id, sdk(opts)), this.name));
  }

  listEvents(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<JobEvent>> {
    return this.call(`list the events of job ${jobId}`, async () => {
      const page = await this.client.fineTuning.jobs.listEvents(jobId, cursor(list), sdk(opts));
      return pageOf(page.data.map(toEvent), page.has_more);
    });
  }

  listCheckpoints(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<Checkpoint>> {
    return this.call(`list the checkpoints of job ${jobId}`, async () => {
      const page = await this.client.fineTuning.jobs.checkpoints.list(jobId, cursor(list), sdk(opts));
      return pageOf(page.data.map(toCheckpoint), page.has_more);
    });
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    try {
      const model = await this.client.models.retrieve(id, sdk(opts));
      // `shutdown_date` is not in the SDK's type; OpenAI sends it for models with an announced retirement.
      const shutdown = (model as { shutdown_date?: unknown }).shutdown_date;
      return { id: model.id, exists: true, shutdownDate: shutdownDay(shutdown), ownedBy: model.owned_by };
    } catch (err) {
      if (failureOf(err)?.status === 404) return { id, exists: false, shutdownDate: null };
      throw this.mapped(err, `look up model ${id}`);
    }
  }

  private async call<T>(action: string, fn: () => Promise<T>, opts: { creatingJob?: boolean } = {}): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.mapped(err, action, opts);
    }
  }

  private mapped(err: unknown, action: string, opts: { creatingJob?: boolean } = {}): unknown {
    return mapOpenAIError(err, this.context(action), opts);
  }

  private context(action: string): FailureContext {
    return { provider: this.name, displayName: this.displayName, apiKeyEnv: this.apiKeyEnv, action, secrets: [this.settings.apiKey] };
  }
}

/** SDK request options carrying the caller's signal (the SDK aborts the request and its retries). */
export function sdk(opts: RequestOptions): { signal?: AbortSignal } {
  return opts.signal ? { signal: opts.signal } : {};
}


export function cursor(opts: ListOptions): { after?: string; limit?: number } {
  return { ...(opts.after && { after: opts.after }), ...(opts.limit !== undefined && { limit: opts.limit }) };
}

export function pageOf<T extends { id: string }>(data: T[], hasMore: boolean): Page<T> {
  return { data, hasMore, nextCursor: hasMore ? (data[data.length - 1]?.id ?? null) : null };
}
