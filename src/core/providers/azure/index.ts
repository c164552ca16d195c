/**
 * Azure OpenAI fine-tuning through the `openai` SDK's `AzureOpenAI` client:
 * `{endpoint}/openai/{files|fine_tuning/jobs|models}?api-version=…`, authenticated with the
 * `api-key` header or a Microsoft Entra ID bearer token. The job API is OpenAI's, so the wire
 * mapping and the upload are the OpenAI adapter's; what differs is here: endpoint and version,
 * credentials, limits, and that a result serves traffic only once deployed.
 */
import { AzureOpenAI } from 'openai';
import type { AzureClientOptions } from 'openai/azure';
import { ConfigError, ProviderError } from '../../errors.js';
import type { FailureContext } from '../errors.js';
import { toCheckpoint, toCreateParams, toEvent, toJob, toUploadedFile } from '../openai/mapping.js';
import { uploadTrainingFile } from '../openai/upload.js';
import { accountKeyOf, call, callOrMissing, createOnce } from '../rest.js';
import type {
  Checkpoint,
  CreateJobRequest,
  FineTuningProvider,
  Job,
  JobEvent,
  ListJobsOptions,
  ListOptions,
  Page,
  ProviderFactory,
  ProviderModel,
  ProviderSettings,
  UploadedFile,
  UploadRequest,
} from '../types.js';
import { AZURE_DEFAULT_API_VERSION, azureCapabilities } from './capabilities.js';

export const factory: ProviderFactory = {
  name: 'azure',
  displayName: 'Azure OpenAI',
  env: { apiKey: 'AZURE_OPENAI_API_KEY', baseUrl: 'AZURE_OPENAI_ENDPOINT', apiVersion: 'OPENAI_API_VERSION', token: 'AZURE_OPENAI_AD_TOKEN' },
  create: (settings) => new AzureProvider(settings),
};

/**
 * `withOptions` (used by the shared upload) rebuilds the client from its options, which do not
 * keep `apiVersion`; without this the SDK would look for OPENAI_API_VERSION in the environment.
 */
function clientClass(apiVersion: string): new (opts: AzureClientOptions) => AzureOpenAI {
  return class extends AzureOpenAI {
    constructor(opts: AzureClientOptions) {
      super({ ...opts, apiVersion: opts.apiVersion ?? apiVersion });
    }
  };
}

const IMPORTING = ['pending', 'running', 'uploaded'];
const PROCESS_POLLS = 240;
const PROCESS_POLL_MS = 500;

interface Resolved {
  endpoint: string;
  apiVersion: string;
  credential: string;
  /** A Microsoft Entra ID token rather than a resource key. */
  isToken: boolean;
}

function resolve(settings: ProviderSettings): Resolved {
  const credential = settings.apiKey ?? settings.token;
  if (!credential) {
    throw new ConfigError('missing_api_key', 'No Azure OpenAI credentials: neither AZURE_OPENAI_API_KEY nor AZURE_OPENAI_AD_TOKEN is set.', {
      hint: 'set AZURE_OPENAI_API_KEY to a key of the resource (or AZURE_OPENAI_AD_TOKEN to a Microsoft Entra ID token, e.g. from `az account get-access-token --resource https://cognitiveservices.azure.com`)',
    });
  }
  if (!settings.baseUrl) {
    throw new ConfigError('missing_endpoint', 'No Azure OpenAI endpoint: AZURE_OPENAI_ENDPOINT is not set, and Azure has no default.', {
      hint: 'set AZURE_OPENAI_ENDPOINT to your resource, e.g. https://my-resource.openai.azure.com (or pass --base-url)',
    });
  }
  return { endpoint: settings.baseUrl.replace(/\/+$/, ''), apiVersion: settings.apiVersion ?? AZURE_DEFAULT_API_VERSION, credential, isToken: !settings.apiKey };
}

class AzureProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = azureCapabilities;
  private readonly r: Resolved;
  private readonly client: AzureOpenAI;

  constructor(private readonly settings: ProviderSettings) {
    this.r = resolve(settings);
    this.client = this.makeClient(settings.fetch);
  }

  /** Every option is explicit so the SDK never falls back to process.env (OPENAI_BASE_URL, OPENAI_ORG_ID, …). */
  private makeClient(fetchFn: typeof fetch | undefined): AzureOpenAI {
    const { credential, isToken } = this.r;
    const Client = clientClass(this.r.apiVersion);
    return new Client({
      ...(isToken ? { azureADTokenProvider: () => Promise.resolve(credential) } : { apiKey: credential }),
      baseURL: `${this.r.endpoint}/openai`,
      apiVersion: this.r.apiVersion,
      organization: null,
      project: null,
      webhookSecret: null,
      logLevel: 'off',
      ...(fetchFn && { fetch: fetchFn }),
      ...(this.settings.maxRetries !== undefined && { maxRetries: this.settings.maxRetries }),
      ...(this.settings.timeoutMs !== undefined && { timeout: this.settings.timeoutMs }),
    });
  }

  private ctx(action: string): FailureContext {
    const apiKeyEnv = this.r.isToken ? 'AZURE_OPENAI_AD_TOKEN' : factory.env.apiKey;
    return { provider: this.name, displayName: this.displayName, apiKeyEnv, action, secrets: [this.r.credential] };
  }

  accountKey(): string {
    return accountKeyOf(this.name, this.r.endpoint, this.r.credential);
  }

  async upload(req: UploadRequest): Promise<UploadedFile> {
    const max = azureCapabilities.maxSingleUploadBytes;
    const plan = { maxSingleUploadBytes: max, partBytes: max, concurrency: 1, fetch: this.settings.fetch ?? globalThis.fetch };
    const uploaded = await call(this.ctx('upload the training file'), () => uploadTrainingFile(this.client, req, plan));
    return this.whenProcessed(uploaded, req.signal);
  }

  /** Azure imports an uploaded file before a job may use it (`pending`/`running` → `processed` or `error`); wait for that, bounded. */
  private async whenProcessed(file: UploadedFile, signal: AbortSignal | undefined): Promise<UploadedFile> {
    let current = file;
    for (let attempt = 0; IMPORTING.includes(current.status ?? '') && attempt < PROCESS_POLLS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, PROCESS_POLL_MS));
      current = toUploadedFile(await call(this.ctx(`check file ${file.id}`), () => this.client.files.retrieve(file.id, { signal })));
    }
    if (current.status === 'error') {
      throw new ProviderError('file_import_failed', `Azure OpenAI could not import ${file.filename} (${file.id}) for fine-tuning.`, {
        provider: this.name,
        retryable: false,
        hint: `check the file with \`llmgw dataset validate ${file.filename} --target azure\`; Azure shows the reason in the portal under Data files`,
      });
    }
    return current;
  }

  async getFile(id: string): Promise<UploadedFile | undefined> {
    const file = await callOrMissing(this.ctx(`look up file ${id}`), () => this.client.files.retrieve(id));
    return file && toUploadedFile(file);
  }

  async createJob(req: CreateJobRequest, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    // Azure keeps no job metadata (capabilities.maxMetadataPairs is 0): llmgw's ledger tag is not sent.
    const params = toCreateParams({ ...req, metadata: undefined });
    const job = await createOnce(this.ctx('create the fine-tuning job'), this.settings.fetch, opts.signal, (fetchOnce, signal) =>
      this.makeClient(fetchOnce).fineTuning.jobs.create(params, { signal }),
    );
    return toJob(job, this.name);
  }

  async getJob(id: string): Promise<Job> {
    return toJob(await call(this.ctx(`look up job ${id}`), () => this.client.fineTuning.jobs.retrieve(id)), this.name);
  }

  async listJobs(opts: ListJobsOptions = {}): Promise<Page<Job>> {
    const page = await call(this.ctx('list fine-tuning jobs'), () => this.client.fineTuning.jobs.list(cursor(opts)));
    return pageOf(page.data.map((j) => toJob(j, this.name)), page.has_more);
  }

  async cancelJob(id: string): Promise<Job> {
    return toJob(await call(this.ctx(`cancel job ${id}`), () => this.client.fineTuning.jobs.cancel(id)), this.name);
  }

  async listEvents(jobId: string, opts: ListOptions = {}): Promise<Page<JobEvent>> {
    const page = await call(this.ctx(`list the events of job ${jobId}`), () => this.client.fineTuning.jobs.listEvents(jobId, cursor(opts)));
    return pageOf(page.data.map(toEvent), page.has_more);
  }

  async listCheckpoints(jobId: string, opts: ListOptions = {}): Promise<Page<Checkpoint>> {
    const page = await call(this.ctx(`list the checkpoints of job ${jobId}`), () => this.client.fineTuning.jobs.checkpoints.list(jobId, cursor(opts)));
    return pageOf(page.data.map(toCheckpoint), page.has_more);
  }

  async getModel(id: string): Promise<ProviderModel> {
    const model = await callOrMissing(this.ctx(`look up model ${id}`), () => this.client.models.retrieve(id));
    if (!model) return { id, exists: false, shutdownDate: null };
    // Azure reports retirement as `deprecation.inference` (Unix seconds); OpenAI-style `shutdown_date` is read too.
    const extra = model as { deprecation?: { inference?: unknown }; shutdown_date?: unknown };
    const inference = extra.deprecation?.inference;
    const shutdown = typeof inference === 'number' ? new Date(inference * 1000).toISOString().slice(0, 10) : typeof extra.shutdown_date === 'string' ? extra.shutdown_date : null;
    return { id: model.id, exists: true, shutdownDate: shutdown || null, ownedBy: model.owned_by };
  }
}

function cursor(opts: ListOptions): { after?: string; limit?: number } {
  return { ...(opts.after && { after: opts.after }), ...(opts.limit !== undefined && { limit: opts.limit }) };
}

function pageOf<T extends { id: string }>(data: T[], hasMore: boolean): Page<T> {
  return { data, hasMore, nextCursor: hasMore ? (data[data.length - 1]?.id ?? null) : null };
}
