/**
 * A fake Fireworks AI control plane on 127.0.0.1, following the REST reference for supervised
 * fine-tuning: datasets (create the record, `:upload` a multipart file, get), supervised
 * fine-tuning jobs (create, get, list with pageSize/pageToken, `:cancel`) and models (get).
 * Errors are Google-RPC style `{"code", "message", "details"}`. A job moves one state along its
 * plan each time it is read, so a polling client sees it progress without timers.
 */
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { HttpError, randomId, readJson, Router, type RequestContext } from '../shared/http.js';
import { serveFake, type ServedFake } from '../together/serve.js';

export type FireworksState =
  | 'JOB_STATE_CREATING'
  | 'JOB_STATE_VALIDATING'
  | 'JOB_STATE_RUNNING'
  | 'JOB_STATE_WRITING_RESULTS'
  | 'JOB_STATE_COMPLETED'
  | 'JOB_STATE_FAILED'
  | 'JOB_STATE_CANCELLED';

export const SUCCESS_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_VALIDATING', 'JOB_STATE_RUNNING', 'JOB_STATE_RUNNING', 'JOB_STATE_WRITING_RESULTS', 'JOB_STATE_COMPLETED'];
export const FAILURE_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_VALIDATING', 'JOB_STATE_FAILED'];

interface FakeJob {
  wire: Record<string, unknown> & { name: string; state: FireworksState };
  plan: FireworksState[];
  at: number;
}

export interface FakeFireworks extends ServedFake {
  apiKey: string;
  account: string;
  baseUrl: string;
  datasets: Map<string, Record<string, unknown> & { name: string; state: string; bytes: number }>;
  jobs: Map<string, FakeJob>;
  planNext(plan: FireworksState[]): void;
  /** The next uploaded dataset reads as UPLOADING this many times before READY. */
  slowNextDataset(reads: number): void;
}

// Google RPC codes by HTTP status, as grpc-gateway maps them.
const RPC: Record<number, [number, string]> = { 400: [3, 'INVALID_ARGUMENT'], 401: [16, 'UNAUTHENTICATED'], 403: [7, 'PERMISSION_DENIED'], 404: [5, 'NOT_FOUND'], 409: [6, 'ALREADY_EXISTS'], 429: [8, 'RESOURCE_EXHAUSTED'], 503: [14, 'UNAVAILABLE'] };

export function errorBody(status: number, message: string): unknown {
  const [code] = RPC[status] ?? [13, 'INTERNAL'];
  return { code, message, details: [] };
}

const fail = (status: number, message: string): HttpError => new HttpError(status, errorBody(status, message));
const TIME = Date.UTC(2026, 10, 24, 9, 0, 0);
const iso = (tick: number): string => new Date(TIME + tick * 60_000).toISOString();

export async function startFakeFireworks(opts: { apiKey?: string; account?: string; baseModels?: string[] } = {}): Promise<FakeFireworks> {
  const apiKey = opts.apiKey ?? 'fw-test-key-0123456789';
  const account = opts.account ?? 'acme';
  const baseModels = opts.baseModels ?? ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'accounts/fireworks/models/qwen2p5-7b-instruct'];
  const datasets: FakeFireworks['datasets'] = new Map();
  const jobs = new Map<string, FakeJob>();
  let nextPlan: FireworksState[] | undefined;
  let slowReads = 0;
  const pendingReads = new Map<string, number>();
  let tick = 0;

  const checkAccount = (ctx: RequestContext): void => {
    if (ctx.params.acct !== account) throw fail(403, `Permission denied on account ${ctx.params.acct}.`);
  };
  /** Splits `id:verb` (Google's custom-method syntax) in the last path segment. */
  const idAndVerb = (segment: string | undefined): [string, string | undefined] => {
    const [id = '', verb] = (segment ?? '').split(':', 2);
    return [id, verb];
  };
  const jobOf = (id: string): FakeJob => {
    const job = jobs.get(id);
    if (!job) throw fail(404, `supervisedFineTuningJob accounts/${account}/supervisedFineTuningJobs/${id} not found`);
    return job;
  };
  const advance = (job: FakeJob): void => {
    const next = job.plan[job.at + 1];
    if (next === undefined) return;
    job.at++;
    tick++;
    job.wire.state = next;
    job.wire.updateTime = iso(tick);
    if (next === 'JOB_STATE_COMPLETED' || next === 'JOB_STATE_FAILED' || next === 'JOB_STATE_CANCELLED') job.wire.completedTime = iso(tick);
    if (next === 'JOB_STATE_FAILED') job.wire.status = { code: 'INVALID_ARGUMENT', message: 'Dataset line 2: messages must end with an assistant turn.' };
    if (next === 'JOB_STATE_COMPLETED') job.wire.jobProgress = { percent: 100, epoch: Number(job.wire.epochs ?? 1), inputTokens: 4242 };
  };

  const router = new Router()
    .on('POST', '/v1/accounts/:acct/datasets', async (ctx) => {
      checkAccount(ctx);
      const body = (await readJson(ctx, 1024 * 1024, () => fail(400, 'Invalid JSON body.'))) as { datasetId?: string; dataset?: Record<string, unknown> } | undefined;
      const id = body?.datasetId;
      if (!id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) throw fail(400, 'datasetId must be 1-63 lowercase letters, digits or hyphens.');
      if (datasets.has(id)) throw fail(409, `dataset accounts/${account}/datasets/${id} already exists`);
      tick++;
      const ds = { ...body.dataset, name: `accounts/${account}/datasets/${id}`, state: 'UPLOADING', createTime: iso(tick), bytes: 0 };
      datasets.set(id, ds);
      return { json: ds };
    })
    .on('GET', '/v1/accounts/:acct/datasets/:ds', (ctx) => {
      checkAccount(ctx);
      const ds = datasets.get(ctx.params.ds ?? '');
      if (!ds) throw fail(404, `dataset accounts/${account}/datasets/${ctx.params.ds} not found`);
      const left = pendingReads.get(ds.name) ?? 0;
      if (left > 0) {
        pendingReads.set(ds.name, left - 1);
        return { json: { ...ds, state: 'UPLOADING' } };
      }
      return { json: ds };
    })
    .on('POST', '/v1/accounts/:acct/datasets/:ds', async (ctx) => {
      checkAccount(ctx);
      const [id, verb] = idAndVerb(ctx.params.ds);
      if (verb !== 'upload') throw fail(404, `Unknown method ${verb ?? ''}.`);
      const ds = datasets.get(id);
      if (!ds) throw fail(404, `dataset accounts/${account}/datasets/${id} not found`);
      const boundary = boundaryOf(ctx.req.headers['content-type']);
      if (!boundary) throw fail(400, 'Expected a multipart/form-data body with a file.');
      let body;
      try {
        body = await readMultipart(ctx.req, boundary, { keepBytes: 1024 * 1024, onBytes: (n) => (ctx.record.bodyBytes = n) });
      } catch (err) {
        if (err instanceof MultipartError) throw fail(400, err.message);
        throw err;
      }
      const file = body.files.file;
      if (!file || file.bytes === 0) throw fail(400, 'The upload has no file part, or it is empty.');
      const lines = file.content?.toString('utf8').split('\n').filter((l) => l.trim() !== '').length ?? 0;
      Object.assign(ds, { state: 'READY', bytes: file.bytes, exampleCount: String(lines) });
      pendingReads.set(ds.name, slowReads);
      slowReads = 0;
      return { json: {} };
    })
    .on('POST', '/v1/accounts/:acct/supervisedFineTuningJobs', async (ctx) => {
      checkAccount(ctx);
      const body = (await readJson(ctx, 1024 * 1024, () => fail(400, 'Invalid JSON body.'))) as Record<string, unknown> | undefined;
      if (!body || typeof body.baseModel !== 'string' || !baseModels.includes(body.baseModel)) throw fail(400, `baseModel ${String(body?.baseModel)} is not tunable.`);
      const dsName = typeof body.dataset === 'string' ? body.dataset : '';
      const ds = datasets.get(dsName.slice(dsName.lastIndexOf('/') + 1));
      if (!ds || ds.state !== 'READY') throw fail(400, `dataset ${dsName} is not ready.`);
      const id = randomId('', 12).toLowerCase();
      const plan = nextPlan ?? SUCCESS_PLAN;
      nextPlan = undefined;
      tick++;
      const wire = {
        ...body,
        name: `accounts/${account}/supervisedFineTuningJobs/${id}`,
        state: plan[0] ?? 'JOB_STATE_CREATING',
        createTime: iso(tick),
        updateTime: iso(tick),
        outputModel: `accounts/${account}/models/${id}`,
        createdBy: 'dev@example.com',
      } as FakeJob['wire'];
      jobs.set(id, { wire, plan, at: 0 });
      return { json: wire };
    })
    .on('GET', '/v1/accounts/:acct/supervisedFineTuningJobs', (ctx) => {
      checkAccount(ctx);
      const all = [...jobs.values()].map((j) => j.wire).reverse();
      const size = Number(ctx.query.get('pageSize') ?? 50);
      const start = Number(ctx.query.get('pageToken') ?? 0);
      const page = all.slice(start, start + size);
      return { json: { supervisedFineTuningJobs: page, nextPageToken: start + size < all.length ? String(start + size) : '', totalSize: all.length } };
    })
    .on('GET', '/v1/accounts/:acct/supervisedFineTuningJobs/:job', (ctx) => {
      checkAccount(ctx);
      const job = jobOf(ctx.params.job ?? '');
      advance(job);
      return { json: job.wire };
    })
    .on('POST', '/v1/accounts/:acct/supervisedFineTuningJobs/:job', async (ctx) => {
      checkAccount(ctx);
      const [id, verb] = idAndVerb(ctx.params.job);
      if (verb !== 'cancel') throw fail(404, `Unknown method ${verb ?? ''}.`);
      await readJson(ctx, 1024, () => fail(400, 'Invalid JSON body.'));
      const job = jobOf(id);
      if (['JOB_STATE_COMPLETED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(job.wire.state)) throw fail(400, `job is already ${job.wire.state}`);
      job.plan = [...job.plan.slice(0, job.at + 1), 'JOB_STATE_CANCELLED'];
      return { json: {} };
    })
    .on('GET', '/v1/accounts/:acct/models/:model', (ctx) => {
      const name = `accounts/${ctx.params.acct}/models/${ctx.params.model}`;
      const done = [...jobs.values()].some((j) => j.wire.state === 'JOB_STATE_COMPLETED' && j.wire.outputModel === name);
      if (!done && !baseModels.includes(name)) throw fail(404, `model ${name} not found`);
      return { json: { name, state: 'READY', kind: done ? 'HF_PEFT_ADDON' : 'HF_BASE_MODEL' } };
    });

  const served = await serveFake({ router, apiKey, errorBody: (status, message) => errorBody(status, message) });
  return { ...served, apiKey, account, baseUrl: `${served.url}/v1`, datasets, jobs, planNext: (plan) => (nextPlan = plan), slowNextDataset: (reads) => (slowReads = reads) };
}
