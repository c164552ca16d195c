/**
 * Fireworks AI supervised fine-tuning (https://api.fireworks.ai/v1), built in place of Mistral's
 * retired fine-tuning API (see docs/providers.md). Everything lives under one account:
 * datasets (create the record, then `:upload` the file), supervisedFineTuningJobs (create, get,
 * list, `:resume`). Plain HTTP through `rest.ts`; Fireworks has no TypeScript SDK. A job's id is
 * derived from its ledger id, so creating it twice is a conflict, never a second job.
 */
import { basename } from 'node:path';
import { ConfigError, ProviderError, UsageError } from '../../errors.js';
import { ProviderRejectedError, type FailureContext } from '../errors.js';
import { accountKeyOf, call, callOrMissing, requireKey, restClient, streamUpload, type Rest } from '../rest.js';
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
  WireRequest,
} from '../types.js';
import { fireworksCapabilities } from './capabilities.js';
import { jobIdFor, toCreateBody, toJob, toUploadedFile, type FireworksDataset, type FireworksJob } from './mapping.js';
import { anySignal } from '../signals.js';

const DEFAULT_BASE_URL = 'https://api.fireworks.ai/v1';

export const factory: ProviderFactory = {
  name: 'fireworks',
  displayName: 'Fireworks AI',
  env: { apiKey: 'FIREWORKS_API_KEY', baseUrl: 'FIREWORKS_BASE_URL', organization: 'FIREWORKS_ACCOUNT_ID' },
  create: (settings) => new FireworksProvider(settings),
};

/**
 * The client retries a 409 (elsewhere it can be a lock timeout); on create it means the id is
 * taken, which no retry changes, so the answer says not to (`x-should-retry`, read by the client).
 */
function conflictIsFinal(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (res.status !== 409) return res;
    const headers = new Headers(res.headers);
    headers.set('x-should-retry', 'false');
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

const EMPTY = { data: [], hasMore: false, nextCursor: null };
const READY_POLLS = 120;
const READY_POLL_MS = 500;

class FireworksProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = fireworksCapabilities;
  private readonly http: Rest;
  /** The same client for creates, which takes a 409 as final (`conflictIsFinal`). */
  private readonly creator: Rest;
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
    this.creator = restClient(factory, settings, DEFAULT_BASE_URL, conflictIsFinal(settings.fetch ?? globalThis.fetch));
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
  async upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const signal = anySignal(req.signal, opts.signal);
    const filename = req.filename ?? basename(req.path);
    const datasetId = /^[0-9a-f]{20,}$/.test(req.sha256) ? `llmgw-${req.sha256.slice(0, 24)}` : `llmgw-${Date.now().toString(36)}`;
    const existing = await this.getDataset(datasetId, signal);
    if (existing?.state === 'READY') return toUploadedFile(existing, req.bytes, filename);
    if (!existing) {
      await call(this.ctx(`create dataset ${datasetId}`), () =>
        this.http.post(this.path('datasets'), { body: { datasetId, dataset: { displayName: filename, userUploaded: {} } }, signal }),
      );
    }
    await streamUpload(this.ctx(`upload ${filename}`), {
      url: `${this.baseUrl.replace(/\/+$/, '')}${this.path('datasets', datasetId)}:upload`,
      apiKey: this.key,
      path: req.path,
      filename,
      fields: {},
      signal,
      onProgress: req.onProgress,
    });
    return toUploadedFile(await this.whenReady(datasetId, signal), req.bytes, filename);
  }

  /** A dataset takes jobs only once READY; Fireworks checks the file after the upload, so wait for that (bounded). */
  private async whenReady(datasetId: string, signal: AbortSignal | undefined): Promise<FireworksDataset> {
    for (let attempt = 0; ; attempt++) {
      const dataset = await call(this.ctx(`look up dataset ${datasetId}`), () => this.http.get<FireworksDataset>(this.path('datasets', datasetId), { signal }));
      if (dataset.state !== 'UPLOADING' || attempt >= READY_POLLS) return dataset;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
  }

  private getDataset(datasetId: string, signal?: AbortSignal): Promise<FireworksDataset | undefined> {
    return callOrMissing(this.ctx(`look up dataset ${datasetId}`), () => this.http.get<FireworksDataset>(this.path('datasets', datasetId), { signal }));
  }

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    const datasetId = id.slice(id.lastIndexOf('/') + 1);
    const dataset = await this.getDataset(datasetId, opts.signal);
    return dataset && toUploadedFile(dataset, 0, datasetId);
  }

  /**
   * Created under the id its ledger entry gives it. That makes the create safe to send again (the
   * client retries dropped connections and 5xx like any call): if an earlier attempt got through,
   * Fireworks answers 409 ALREADY_EXISTS, and the job it holds under that id is the one.
   */
  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const id = jobIdFor(req.ledgerId);
    const query = { supervisedFineTuningJobId: id };
    try {
      return toJob(await call(this.ctx('create the fine-tuning job'), () => this.creator.post<FireworksJob>(this.path('supervisedFineTuningJobs'), { body: toCreateBody(req), query, signal: opts.signal })));
    } catch (err) {
      if (!(err instanceof ProviderRejectedError && err.status === 409)) throw err;
    }
    const found = await this.findCreatedJob({ ledgerId: req.ledgerId, createdAt: '', baseModel: req.baseModel, trainingFileId: req.trainingFileId }, opts);
    if (found.kind === 'found') return found.job;
    throw new ProviderError('job_id_taken', `Fireworks already holds a job named ${id}, the id llmgw derives from ledger entry ${req.ledgerId}, and it is not this request's job${found.kind === 'unknown' ? ` (${found.reason})` : ''}.`, {
      provider: this.name,
      retryable: false,
      hint: `look at it with \`llmgw tune status ${id} --provider fireworks\`; start again to get a new ledger entry`,
    });
  }

  previewCreateJob(req: CreateJobRequest): WireRequest {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${this.path('supervisedFineTuningJobs')}?supervisedFineTuningJobId=${jobIdFor(req.ledgerId)}`;
    return { method: 'POST', url, body: toCreateBody(req) };
  }

  /** By the id the ledger entry gives the job: one lookup, 404 is a sure "absent". */
  async findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    const id = jobIdFor(mark.ledgerId);
    const wire = await callOrMissing(this.ctx(`look up job ${id}`), () => this.http.get<FireworksJob>(this.path('supervisedFineTuningJobs', id), { signal: opts.signal }));
    if (!wire) return { kind: 'absent' };
    const job = toJob(wire);
    if (job.trainingFileId === mark.trainingFileId && job.baseModel === mark.baseModel) return { kind: 'found', job };
    return { kind: 'unknown', reason: `the job named ${id} trains ${job.baseModel} on ${job.trainingFileId}, not what the ledger entry asked for`, candidates: [job.id] };
  }

  async getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob(await call(this.ctx(`get job ${id}`), () => this.http.get<FireworksJob>(this.path('supervisedFineTuningJobs', id), { signal: opts.signal })));
  }

  async listJobs(list: ListJobsOptions = {}, opts: RequestOptions = {}): Promise<Page<Job>> {
    // Fireworks lists by name unless told otherwise; llmgw shows jobs newest first.
    const query: Record<string, string | number> = { pageSize: list.limit ?? 20, orderBy: 'createTime desc' };
    if (list.after) query.pageToken = list.after;
    const page = await call(this.ctx('list fine-tuning jobs'), () =>
      this.http.get<{ supervisedFineTuningJobs?: FireworksJob[]; nextPageToken?: string }>(this.path('supervisedFineTuningJobs'), { query, signal: opts.signal }),
    );
    const next = page.nextPageToken || null;
    return { data: (page.supervisedFineTuningJobs ?? []).map(toJob), hasMore: next !== null, nextCursor: next };
  }

  /** A paused job (Fireworks pauses jobs on account suspension or by hand) goes on with `:resume`. */
  async resumeJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob(await call(this.ctx(`resume job ${id}`), () => this.http.post<FireworksJob>(`${this.path('supervisedFineTuningJobs', id)}:resume`, { body: {}, signal: opts.signal })));
  }

  /**
   * The REST reference and the official SDK give supervised jobs create, get, list, delete and
   * `:resume`, but no cancel; firectl has one. Deleting would stop the job and lose its record,
   * so llmgw does not offer cancel here and names the command that does it.
   */
  cancelJob(id: string): Promise<Job> {
    return Promise.reject(
      new UsageError('cancel_not_offered', `Fireworks' API has no documented way to cancel a supervised fine-tuning job, so llmgw cannot cancel ${id}.`, {
        hint: `cancel it with \`firectl supervised-fine-tuning-job cancel ${id} --account-id ${this.account}\`, or in the Fireworks dashboard`,
      }),
    );
  }

  /** Fireworks publishes no event stream for supervised jobs; the job's state is all there is. */
  listEvents(): Promise<Page<JobEvent>> {
    return Promise.resolve(EMPTY);
  }

  /** Nor a checkpoint list: the output model is the one result. */
  listCheckpoints(): Promise<Page<Checkpoint>> {
    return Promise.resolve(EMPTY);
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    // Fine-tuned and base models are both `accounts/{account}/models/{model}`.
    const path = id.startsWith('accounts/') ? `/${id.split('/').map(encodeURIComponent).join('/')}` : this.path('models', id);
    const model = await callOrMissing(this.ctx(`look up model ${id}`), () => this.http.get<{ name: string; state?: string }>(path, { signal: opts.signal }));
    return { id, exists: model !== undefined, shutdownDate: null };
  }
}
