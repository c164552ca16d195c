import OpenAI from 'openai';
import { createUnconfirmed, type FailureContext } from '../errors.js';
import type {
  Checkpoint,
  CreateJobRequest,
  FineTuningProvider,
  Job,
  JobEvent,
  ListJobsOptions,
  ListOptions,
  Page,
  ProviderCapabilities,
  ProviderModel,
  ProviderSettings,
  UploadedFile,
  UploadRequest,
} from '../types.js';
import { OPENAI_LIMITS, openaiCapabilities } from './capabilities.js';
import { failureOf, mapOpenAIError } from './errors.js';
import { toCheckpoint, toCreateParams, toEvent, toJob, toUploadedFile } from './mapping.js';
import { uploadTrainingFile, type UploadPlan } from './upload.js';

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

  upload(req: UploadRequest): Promise<UploadedFile> {
    return this.call('upload the training file', () => uploadTrainingFile(this.client, req, this.plan));
  }

  async getFile(id: string): Promise<UploadedFile | undefined> {
    try {
      return toUploadedFile(await this.client.files.retrieve(id));
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
  async createJob(req: CreateJobRequest, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    const params = toCreateParams(req);
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

  getJob(id: string): Promise<Job> {
    return this.call(`look up job ${id}`, async () => toJob(await this.client.fineTuning.jobs.retrieve(id), this.name));
  }

  listJobs(opts: ListJobsOptions = {}): Promise<Page<Job>> {
    return this.call('list fine-tuning jobs', async () => {
      const page = await this.client.fineTuning.jobs.list({ ...cursor(opts), ...(opts.metadata && { metadata: opts.metadata }) });
      return pageOf(page.data.map((j) => toJob(j, this.name)), page.has_more);
    });
  }

  cancelJob(id: string): Promise<Job> {
    return this.call(`cancel job ${id}`, async () => toJob(await this.client.fineTuning.jobs.cancel(id), this.name));
  }

  listEvents(jobId: string, opts: ListOptions = {}): Promise<Page<JobEvent>> {
    return this.call(`list the events of job ${jobId}`, async () => {
      const page = await this.client.fineTuning.jobs.listEvents(jobId, cursor(opts));
      return pageOf(page.data.map(toEvent), page.has_more);
    });
  }

  listCheckpoints(jobId: string, opts: ListOptions = {}): Promise<Page<Checkpoint>> {
    return this.call(`list the checkpoints of job ${jobId}`, async () => {
      const page = await this.client.fineTuning.jobs.checkpoints.list(jobId, cursor(opts));
      return pageOf(page.data.map(toCheckpoint), page.has_more);
    });
  }

  async getModel(id: string): Promise<ProviderModel> {
    try {
      const model = await this.client.models.retrieve(id);
      // `shutdown_date` is not in the SDK's type; OpenAI sends it for models with an announced retirement.
      const shutdown = (model as { shutdown_date?: unknown }).shutdown_date;
      return { id: model.id, exists: true, shutdownDate: typeof shutdown === 'string' && shutdown ? shutdown : null, ownedBy: model.owned_by };
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

function cursor(opts: ListOptions): { after?: string; limit?: number } {
  return { ...(opts.after && { after: opts.after }), ...(opts.limit !== undefined && { limit: opts.limit }) };
}

function pageOf<T extends { id: string }>(data: T[], hasMore: boolean): Page<T> {
  return { data, hasMore, nextCursor: hasMore ? (data[data.length - 1]?.id ?? null) : null };
}
