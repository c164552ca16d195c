/**
 * Azure OpenAI fine-tuning through the `openai` SDK's `AzureOpenAI` client:
 * `{endpoint}/openai/{files|fine_tuning/jobs|models}?api-version=…`, authenticated with the
 * `api-key` header or a Microsoft Entra ID bearer token. The job API is OpenAI's, so the wire
 * mapping and the upload are the OpenAI adapter's; what differs is here: endpoint and version,
 * credentials, limits, and that a result serves traffic only once deployed.
 */
import { AzureOpenAI } from 'openai';
import type { AzureClientOptions } from 'openai/azure';
import { maskSecret } from '../../config/mask.js';
import { ConfigError, ProviderError } from '../../errors.js';
import type { FailureContext } from '../errors.js';
import { searchJobList } from '../lookup.js';
import { toCheckpoint, toCreateParams, toEvent, toUploadedFile } from '../openai/mapping.js';
import { cursor, pageOf, sdk } from '../openai/provider.js';
import { anySignal } from '../signals.js';
import { uploadTrainingFile } from '../openai/upload.js';
import { accountKeyOf, call, callOrMissing, createOnce } from '../rest.js';
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
import { AZURE_DEFAULT_API_VERSION, azureCapabilities } from './capabilities.js';
import { LEDGER_SUFFIX, toAzureJob } from './mapping.js';
import { shutdownDay } from '../../models/shutdown-date.js';
import { sleep as delay } from '../../sleep.js';

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

  async upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const max = azureCapabilities.maxSingleUploadBytes;
    const plan = { maxSingleUploadBytes: max, partBytes: max, concurrency: 1, fetch: this.settings.fetch ?? globalThis.fetch };
    const signal = anySignal(req.signal, opts.signal);
    const uploaded = await call(this.ctx('upload the training file'), () => uploadTrainingFile(this.client, { ...req, signal }, plan));
    return this.whenProcessed(uploaded, signal);
  }

  /** Azure imports an uploaded file before a job may use it (`pending`/`running` → `processed` or `error`); wait for that, bounded. */
  private async whenProcessed(file: UploadedFile, signal: AbortSignal | undefined): Promise<UploadedFile> {
    let current = file;
    for (let attempt = 0; IMPORTING.includes(current.status ?? '') && attempt < PROCESS_POLLS; attempt++) {
      await delay(PROCESS_POLL_MS, signal);
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

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    const file = await callOrMissing(this.ctx(`look up file ${id}`), () => this.client.files.retrieve(id, sdk(opts)));
    return file && toUploadedFile(file);
  }

  /**
   * Azure keeps no job metadata (API version 2025-04-01-preview), but it keeps the suffix: with no
   * suffix of the user's, the ledger id goes there, so a lost create is found by it.
   */
  private createParams(req: CreateJobRequest): ReturnType<typeof toCreateParams> {
    return toCreateParams({ ...req, metadata: undefined, suffix: req.suffix ?? req.ledgerId });
  }

  previewCreateJob(req: CreateJobRequest): WireRequest {
    const headers: Record<string, string> = this.r.isToken ? { authorization: `Bearer ${maskSecret(this.r.credential)}` } : { 'api-key': maskSecret(this.r.credential) };
    return { method: 'POST', url: `${this.r.endpoint}/openai/fine_tuning/jobs?api-version=${this.r.apiVersion}`, headers, body: this.createParams(req) };
  }

  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const params = this.createParams(req);
    const job = await createOnce(this.ctx('create the fine-tuning job'), this.settings.fetch, opts.signal, (fetchOnce, signal) =>
      this.makeClient(fetchOnce).fineTuning.jobs.create(params, { signal }),
    );
    return toAzureJob(job, this.name);
  }

  /**
   * By the ledger id in the suffix. A user's own suffix leaves no such mark: then a job with that
   * suffix, training file and base model is the one when it is alone (and no other ledger entry
   * holds it, which the caller checks); several are `unknown`. Creation times are not compared:
   * the provider's clock and this machine's need not agree.
   */
  findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    const load = (after: string | undefined): Promise<Page<Job>> => this.listJobs({ after, limit: 100 }, opts);
    const isMine = !mark.suffix
      ? (j: Job) => j.suffix === mark.ledgerId
      : (j: Job) => j.suffix === mark.suffix && j.trainingFileId === mark.trainingFileId && j.baseModel === mark.baseModel && !LEDGER_SUFFIX.test(j.suffix ?? '');
    return searchJobList(load, isMine, { what: `the jobs of ${this.displayName}`, signal: opts.signal });
  }

  async getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toAzureJob(await call(this.ctx(`look up job ${id}`), () => this.client.fineTuning.jobs.retrieve(id, sdk(opts))), this.name);
  }

  async listJobs(list: ListJobsOptions = {}, opts: RequestOptions = {}): Promise<Page<Job>> {
    const page = await call(this.ctx('list fine-tuning jobs'), () => this.client.fineTuning.jobs.list(cursor(list), sdk(opts)));
    return pageOf(page.data.map((j) => toAzureJob(j, this.name)), page.has_more);
  }

  async cancelJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toAzureJob(await call(this.ctx(`cancel job ${id}`), () => this.client.fineTuning.jobs.cancel(id, sdk(opts))), this.name);
  }

  /** `POST …/fine_tuning/jobs/{id}/pause` (API version 2024-10-01-preview and later). */
  async pauseJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toAzureJob(await call(this.ctx(`pause job ${id}`), () => this.client.fineTuning.jobs.pause(id, sdk(opts))), this.name);
  }

  async resumeJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toAzureJob(await call(this.ctx(`resume job ${id}`), () => this.client.fineTuning.jobs.resume(id, sdk(opts))), this.name);
  }

  async listEvents(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<JobEvent>> {
    const page = await call(this.ctx(`list the events of job ${jobId}`), () => this.client.fineTuning.jobs.listEvents(jobId, cursor(list), sdk(opts)));
    return pageOf(page.data.map(toEvent), page.has_more);
  }

  async listCheckpoints(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<Checkpoint>> {
    const page = await call(this.ctx(`list the checkpoints of job ${jobId}`), () => this.client.fineTuning.jobs.checkpoints.list(jobId, cursor(list), sdk(opts)));
    return pageOf(page.data.map(toCheckpoint), page.has_more);
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    const model = await callOrMissing(this.ctx(`look up model ${id}`), () => this.client.models.retrieve(id, sdk(opts)));
    if (!model) return { id, exists: false, shutdownDate: null };
    // Azure reports retirement as `deprecation.inference` (Unix seconds); OpenAI-style `shutdown_date` is read too.
    const extra = model as { deprecation?: { inference?: unknown }; shutdown_date?: unknown };
    const inference = extra.deprecation?.inference;
    return { id: model.id, exists: true, shutdownDate: shutdownDay(inference) ?? shutdownDay(extra.shutdown_date), ownedBy: model.owned_by };
  }
}

