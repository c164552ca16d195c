/**
 * Together AI fine-tuning (https://api.together.xyz/v1): files through POST /files/upload,
 * jobs under /fine-tunes. Plain HTTP through `rest.ts`: Together's own SDK cannot upload on
 * Node 20 (see docs/providers.md).
 */
import { basename } from 'node:path';
import type { FailureContext } from '../errors.js';
import { matchesRequest, searchJobList } from '../lookup.js';
import { accountKeyOf, call, callOrMissing, createOnce, pageOf, requireKey, restClient, streamUpload, type Rest } from '../rest.js';
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
} from '../types.js';
import { togetherCapabilities } from './capabilities.js';
import { toCheckpoint, toCreateBody, toEvent, toJob, toUploadedFile, type TogetherCheckpoint, type TogetherEvent, type TogetherFile, type TogetherJob } from './mapping.js';

const DEFAULT_BASE_URL = 'https://api.together.xyz/v1';

export const factory: ProviderFactory = {
  name: 'together',
  displayName: 'Together AI',
  env: { apiKey: 'TOGETHER_API_KEY', baseUrl: 'TOGETHER_BASE_URL' },
  create: (settings) => new TogetherProvider(settings),
};

class TogetherProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = togetherCapabilities;
  private readonly http: Rest;
  private readonly key: string;
  private readonly baseUrl: string;

  constructor(private readonly settings: ProviderSettings) {
    this.key = requireKey(factory, settings);
    this.baseUrl = settings.baseUrl ?? DEFAULT_BASE_URL;
    this.http = restClient(factory, settings, DEFAULT_BASE_URL);
  }

  private ctx(action: string): FailureContext {
    return { provider: this.name, displayName: this.displayName, apiKeyEnv: factory.env.apiKey, action, secrets: [this.key] };
  }

  accountKey(): string {
    return accountKeyOf(this.name, this.baseUrl, this.key);
  }

  async upload(req: UploadRequest): Promise<UploadedFile> {
    const filename = req.filename ?? basename(req.path);
    const file = await streamUpload<TogetherFile>(this.ctx(`upload ${filename}`), {
      url: `${this.baseUrl.replace(/\/+$/, '')}/files/upload`,
      apiKey: this.key,
      path: req.path,
      filename,
      fields: { purpose: 'fine-tune', file_name: filename, file_type: 'jsonl' },
      signal: req.signal,
      onProgress: req.onProgress,
    });
    return toUploadedFile(file);
  }

  async getFile(id: string): Promise<UploadedFile | undefined> {
    const file = await callOrMissing(this.ctx(`look up file ${id}`), () => this.http.get<TogetherFile>(`/files/${encodeURIComponent(id)}`));
    return file && toUploadedFile(file);
  }

  async createJob(req: CreateJobRequest, opts: { signal?: AbortSignal } = {}): Promise<Job> {
    const body = toCreateBody(req);
    const job = await createOnce(this.ctx('create the fine-tuning job'), this.settings.fetch, opts.signal, (fetchOnce, signal) =>
      restClient(factory, this.settings, DEFAULT_BASE_URL, fetchOnce).post<TogetherJob>('/fine-tunes', { body, signal }),
    );
    return toJob(job);
  }

  /** Stopgap: the job list searched by training file, base model and creation time (the job keeps no mark of its ledger entry yet). */
  findCreatedJob(mark: CreatedJobMark, opts: RequestOptions = {}): Promise<JobLookup> {
    return searchJobList((after) => this.listJobs({ after, limit: 100 }), matchesRequest(mark), { what: `the jobs of ${this.displayName}`, signal: opts.signal });
  }

  async getJob(id: string): Promise<Job> {
    return toJob(await call(this.ctx(`get job ${id}`), () => this.http.get<TogetherJob>(`/fine-tunes/${encodeURIComponent(id)}`)));
  }

  async listJobs(opts: ListJobsOptions = {}): Promise<Page<Job>> {
    const list = await call(this.ctx('list fine-tuning jobs'), () => this.http.get<{ data: TogetherJob[] }>('/fine-tunes'));
    const jobs = list.data.map(toJob).sort((a, b) => b.createdAt - a.createdAt);
    return pageOf(jobs, (j) => j.id, opts);
  }

  async cancelJob(id: string): Promise<Job> {
    return toJob(await call(this.ctx(`cancel job ${id}`), () => this.http.post<TogetherJob>(`/fine-tunes/${encodeURIComponent(id)}/cancel`)));
  }

  async listEvents(jobId: string, opts: ListOptions = {}): Promise<Page<JobEvent>> {
    const list = await call(this.ctx(`list events of job ${jobId}`), () => this.http.get<{ data: TogetherEvent[] }>(`/fine-tunes/${encodeURIComponent(jobId)}/events`));
    const events = list.data.map((e, i) => toEvent(e, i, jobId)).reverse();
    return pageOf(events, (e) => e.id, opts);
  }

  async listCheckpoints(jobId: string, opts: ListOptions = {}): Promise<Page<Checkpoint>> {
    const list = await call(this.ctx(`list checkpoints of job ${jobId}`), () =>
      this.http.get<{ data: TogetherCheckpoint[] }>(`/fine-tunes/${encodeURIComponent(jobId)}/checkpoints`),
    );
    const checkpoints = list.data.map((c) => toCheckpoint(c, jobId)).sort((a, b) => b.step - a.step);
    return pageOf(checkpoints, (c) => c.id, opts);
  }

  async getModel(id: string): Promise<ProviderModel> {
    // Together has no single-model lookup; the list holds base and fine-tuned models.
    const models = await call(this.ctx(`look up model ${id}`), () => this.http.get<Array<{ id: string; owned_by?: string }>>('/models'));
    const found = models.find((m) => m.id === id);
    return { id, exists: found !== undefined, shutdownDate: null, ownedBy: found?.owned_by };
  }
}
