/**
 * Fireworks AI supervised fine-tuning (https://api.fireworks.ai/v1), built in place of Mistral's
 * retired fine-tuning API (see docs/providers.md). Everything lives under one account:
 * datasets (create the record, then `:upload` the file), supervisedFineTuningJobs (create, get,
 * list, `:cancel`). Plain HTTP through `rest.ts`; Fireworks has no TypeScript SDK.
 */
import { basename } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { FailureContext } from '../errors.js';
import { matchesRequest, searchJobList } from '../lookup.js';
import { accountKeyOf, call, callOrMissing, createOnce, requireKey, restClient, streamUpload, type Rest } from '../rest.js';
import type {
  Checkpoint,
  CreatedJobMark,
  CreateJobRequest,
  FineTuningProvider,
  Job,
  JobEvent,
  JobLookup,
  ListJobsOptions,
  Page,
  ProviderFactory,
  ProviderModel,
  ProviderSettings,
  RequestOptions,
  UploadedFile,
  UploadRequest,
} from '../types.js';
import { fireworksCapabilities } from './capabilities.js';
import { toCreateBody, toJob, toUploadedFile, type FireworksDataset, type FireworksJob } from './mapping.js';

const DEFAULT_BASE_URL = 'https://api.fireworks.ai/v1';

export const factory: ProviderFactory = {
  name: 'fireworks',
  displayName: 'Fireworks AI',
  env: { apiKey: 'FIREWORKS_API_KEY', baseUrl: 'FIREWORKS_BASE_URL', organization: 'FIREWORKS_ACCOUNT_ID' },
  create: (settings) => new FireworksProvider(settings),
};

const EMPTY = { data: [], hasMore: false, nextCursor: null };
const READY_POLLS = 120;
const READY_POLL_MS = 500;

class FireworksProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = fireworksCapabilities;
  private readonly http: Rest;
  private readonly key: string;
  private readonly account: string;
  private readonly baseUrl: string;

  constructor(private readonly settings: ProviderSettings) {
    this.key = requireKey(factory, settings);
    if (!settings.organization) {
      throw new ConfigError('missing_account', 'No Fireworks account id: FIREWORKS_ACCOUNT_ID is not set, and every Fireworks fine-tuning call names the account.', {
        hint: 'set FIREWORKS_ACCOUNT_ID to your account id (shown by `firectl whoami` and in the dashboard URL)',
      });
    }
    this.account = settings.organization;
    this.baseUrl = settings.baseUrl ?? DEFAULT_BASE_URL;
    this.http = restClient(factory, settings, DEFAULT_BASE_URL);
  }

  private ctx(action: string): FailureContext {
    return { provider: this.name, displayName: this.displayName, apiKeyEnv: factory.env.apiKey, action, secrets: [this.key] };
  }

  private path(collection: string, id?: string): string {
    return `/accounts/${encodeURIComponent(this.account)}/${collection}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  }

  accountKey(): string {
    return accountKeyOf(this.name, this.baseUrl, this.key, this.account);
  }

  /** A dataset named after the content hash, so uploading the same bytes twice finds the first one. */
  async upload(req: UploadRequest): Promise<UploadedFile> {
    const filename = req.filename ?? basename(req.path);
    const datasetId = /^[0-9a-f]{20,}$/.test(req.sha256) ? `llmgw-${req.sha256.slice(0, 24)}` : `llmgw-${Date.now().toString(36)}`;
    const existing = await this.getDataset(datasetId);
    if (existing?.state === 'READY') return toUploadedFile(existing, req.bytes, filename);
    if (!existing) {
      await call(this.ctx(`create dataset ${datasetId}`), () =>
        this.http.post(this.path('datasets'), { body: { datasetId, dataset: { displayName: filename, userUploaded: {} } }, signal: req.signal }),
      );
    }
    await streamUpload(this.ctx(`upload ${filename}`), {
      url: `${this.baseUrl.replace(/\/+$/, '')}${this.path('datasets', datasetId)}:upload`,
      apiKey: this.key,
      path: req.path,
      filename,
      fields: {},
      signal: req.signal,
      onProgress: req.onProgress,
    });
    return toUploadedFile(await this.whenReady(datasetId, req.signal), req.bytes, filename);
  }

  /** A dataset takes jobs only once READY; Fireworks checks the file after the upload, so wait for that (bounded). */
  private async whenReady(datasetId: string, signal: AbortSignal | undefined): Promise<FireworksDataset> {
    for (let attempt = 0; ; attempt++) {
      const dataset = await call(this.ctx(`look up dataset ${datasetId}`), () => this.http.get<FireworksDataset>(this.path('datasets', datasetId), { signal }));
      if (dataset.state !== 'UPLOADING' || attempt >= READY_POLLS) return dataset;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  private getDataset(datasetId: string): Promise<FireworksDataset | undefined> {
    return callOrMissing(this.ctx(`look up dataset ${datasetId}`), () => this.http.get<FireworksDataset>(this.path('datasets', datasetId)));
  }

  async getFile(id: string): Promise<UploadedFile | undefined> {
    const datasetId = id.slice(id.lastIndexOf('/') + 1);
    const dataset = await this.getDataset(datasetId);
    return dataset && toUploadedFile(dataset, 0, datasetId);
  }

  async createJob(req: CreateJobRequest, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    const body = toCreateBody(req);
    const job = await createOnce(this.ctx('create the fine-tuning job'), this.settings.fetch, opts.signal, (fetchOnce, signal) =>
      restClient(factory, this.settings, DEFAULT_BASE_URL, fetchOnce).post<FireworksJob>(this.path('supervisedFineTuningJobs'), { body, signal }),
    );
    return toJob(job);
  }

  /** Stopgap: the job list searched by training file, base model and creation time (the job keeps no mark of its ledger entry yet). */
  findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    return searchJobList((after) => this.listJobs({ after, limit: 100 }), matchesRequest(mark), { what: `the jobs of ${this.displayName}`, signal: opts.signal });
  }

  async getJob(id: string): Promise<Job> {
    return toJob(await call(this.ctx(`get job ${id}`), () => this.http.get<FireworksJob>(this.path('supervisedFineTuningJobs', id))));
  }

  async listJobs(opts: ListJobsOptions = {}): Promise<Page<Job>> {
    const query: Record<string, string | number> = { pageSize: opts.limit ?? 20 };
    if (opts.after) query.pageToken = opts.after;
    const page = await call(this.ctx('list fine-tuning jobs'), () =>
      this.http.get<{ supervisedFineTuningJobs?: FireworksJob[]; nextPageToken?: string }>(this.path('supervisedFineTuningJobs'), { query }),
    );
    const next = page.nextPageToken || null;
    return { data: (page.supervisedFineTuningJobs ?? []).map(toJob), hasMore: next !== null, nextCursor: next };
  }

  async cancelJob(id: string): Promise<Job> {
    await call(this.ctx(`cancel job ${id}`), () => this.http.post(`${this.path('supervisedFineTuningJobs', id)}:cancel`, { body: {} }));
    return this.getJob(id);
  }

  /** Fireworks publishes no event stream for supervised jobs; the job's state is all there is. */
  listEvents(): Promise<Page<JobEvent>> {
    return Promise.resolve(EMPTY);
  }

  /** Nor a checkpoint list: the output model is the one result. */
  listCheckpoints(): Promise<Page<Checkpoint>> {
    return Promise.resolve(EMPTY);
  }

  async getModel(id: string): Promise<ProviderModel> {
    // Fine-tuned and base models are both `accounts/{account}/models/{model}`.
    const path = id.startsWith('accounts/') ? `/${id.split('/').map(encodeURIComponent).join('/')}` : this.path('models', id);
    const model = await callOrMissing(this.ctx(`look up model ${id}`), () => this.http.get<{ name: string; state?: string }>(path));
    return { id, exists: model !== undefined, shutdownDate: null };
  }
}
