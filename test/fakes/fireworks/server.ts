/**
 * A fake Fireworks AI control plane on 127.0.0.1, written from the REST reference and the official
 * SDK's operation list for supervised fine-tuning: datasets (`datasets.ts`), supervised
 * fine-tuning jobs (create with an optional `supervisedFineTuningJobId`, get, list with
 * pageSize/pageToken/orderBy, delete, `:resume`; there is no documented cancel) and models (get).
 * Times are the real clock; a job moves one state along its plan each time it is read, so a
 * polling client sees it progress without timers. Errors are Google-RPC `{code, message, details}`.
 */
import { randomUUID } from 'node:crypto';
import { readJson, Router, type RequestContext } from '../shared/http.js';
import { serveFake, type ServedFake } from '../together/serve.js';
import { datasetRoutes, type DatasetStore, type FakeDataset } from './datasets.js';
import { errorBody, fail, idAndVerb, ordered, paged, RESOURCE_ID } from './rpc.js';

/** A job state as Fireworks spells it; tests may plan states the adapter does not know. */
export type FireworksState = string;

export const SUCCESS_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_VALIDATING', 'JOB_STATE_RUNNING', 'JOB_STATE_RUNNING', 'JOB_STATE_WRITING_RESULTS', 'JOB_STATE_COMPLETED'];
export const FAILURE_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_VALIDATING', 'JOB_STATE_FAILED'];
/** Early stopping: the evaluation loss stopped improving, and the model so far is written. */
export const EARLY_STOPPED_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_RUNNING', 'JOB_STATE_WRITING_RESULTS', 'JOB_STATE_EARLY_STOPPED'];
export const EXPIRED_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_PENDING', 'JOB_STATE_EXPIRED'];
/** Stops at PAUSED until `:resume`, then finishes. */
export const PAUSED_PLAN: FireworksState[] = ['JOB_STATE_CREATING', 'JOB_STATE_RUNNING', 'JOB_STATE_PAUSED', 'JOB_STATE_RUNNING', 'JOB_STATE_COMPLETED'];

const ENDED = ['JOB_STATE_COMPLETED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED', 'JOB_STATE_EARLY_STOPPED'];
const WITH_MODEL = ['JOB_STATE_COMPLETED', 'JOB_STATE_EARLY_STOPPED'];
const ORDER_FIELDS = ['name', 'displayName', 'createTime', 'updateTime', 'state'] as const;

interface FakeJob {
  wire: Record<string, unknown> & { name: string; state: FireworksState };
  plan: FireworksState[];
  at: number;
}

export interface FakeFireworks extends ServedFake {
  apiKey: string;
  account: string;
  baseUrl: string;
  datasets: Map<string, FakeDataset>;
  /** Jobs by id (the last segment of their name). */
  jobs: Map<string, FakeJob>;
  planNext(plan: FireworksState[]): void;
  /** The next uploaded dataset reads as UPLOADING this many times before READY. */
  slowNextDataset(reads: number): void;
}

export { errorBody };

/** `skewMs`: how far the provider's clock is off this machine's (negative: behind). */
export async function startFakeFireworks(opts: { apiKey?: string; account?: string; baseModels?: string[]; skewMs?: number } = {}): Promise<FakeFireworks> {
  const clock = (): string => new Date(Date.now() + (opts.skewMs ?? 0)).toISOString();
  const apiKey = opts.apiKey ?? 'fw-test-key-0123456789';
  const account = opts.account ?? 'acme';
  const baseModels = opts.baseModels ?? ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'accounts/fireworks/models/qwen2p5-7b-instruct'];
  const store: DatasetStore = { datasets: new Map(), slowReads: 0, pendingReads: new Map() };
  const jobs = new Map<string, FakeJob>();
  let nextPlan: FireworksState[] | undefined;

  const checkAccount = (ctx: RequestContext): void => {
    if (ctx.params.acct !== account) throw fail(403, `Permission denied on account ${ctx.params.acct}.`);
  };
  const jobName = (id: string): string => `accounts/${account}/supervisedFineTuningJobs/${id}`;
  const jobOf = (id: string): FakeJob => {
    const job = jobs.get(id);
    if (!job) throw fail(404, `supervisedFineTuningJob ${jobName(id)} not found`);
    return job;
  };
  const moveTo = (job: FakeJob, state: FireworksState): void => {
    const now = clock();
    job.wire.state = state;
    job.wire.updateTime = now;
    if (ENDED.includes(state)) job.wire.completedTime = now;
    if (state === 'JOB_STATE_FAILED') job.wire.status = { code: 'INVALID_ARGUMENT', message: 'Dataset line 2: messages must end with an assistant turn.' };
    if (state === 'JOB_STATE_EXPIRED') job.wire.status = { code: 'DEADLINE_EXCEEDED', message: 'The job waited for capacity longer than its time to live.' };
    if (WITH_MODEL.includes(state)) job.wire.jobProgress = { percent: 100, epoch: Number(job.wire.epochs ?? 1), inputTokens: 4242 };
  };
  const advance = (job: FakeJob): void => {
    const next = job.plan[job.at + 1];
    if (next === undefined || job.wire.state === 'JOB_STATE_PAUSED' || job.wire.state === 'JOB_STATE_DELETING') return;
    job.at++;
    moveTo(job, next);
  };

  const router = new Router();
  datasetRoutes(router, store, account, checkAccount, clock);
  router
    .on('POST', '/v1/accounts/:acct/supervisedFineTuningJobs', async (ctx) => {
      checkAccount(ctx);
      const body = (await readJson(ctx, 1024 * 1024, () => fail(400, 'Invalid JSON body.'))) as Record<string, unknown> | undefined;
      if (!body || typeof body.dataset !== 'string' || body.dataset === '') throw fail(400, 'dataset is required.');
      if ((body.baseModel === undefined) === (body.warmStartFrom === undefined)) throw fail(400, "exactly one of 'baseModel' or 'warmStartFrom' must be specified.");
      if (typeof body.baseModel === 'string' && !baseModels.includes(body.baseModel)) throw fail(400, `baseModel ${body.baseModel} is not tunable.`);
      const ds = store.datasets.get(body.dataset.slice(body.dataset.lastIndexOf('/') + 1));
      if (!ds || ds.name !== body.dataset || ds.state !== 'READY') throw fail(400, `dataset ${body.dataset} is not ready.`);
      const asked = ctx.query.get('supervisedFineTuningJobId');
      if (asked !== null && !RESOURCE_ID.test(asked)) throw fail(400, 'supervisedFineTuningJobId must be 1-63 lowercase letters, digits or hyphens, starting with a letter.');
      const id = asked ?? randomUUID();
      if (jobs.has(id)) throw fail(409, `supervisedFineTuningJob ${jobName(id)} already exists`);
      const plan = nextPlan ?? SUCCESS_PLAN;
      nextPlan = undefined;
      const now = clock();
      const wire = {
        ...body,
        name: jobName(id),
        state: plan[0] ?? 'JOB_STATE_CREATING',
        createTime: now,
        updateTime: now,
        // "If not specified, the job ID will be used."
        outputModel: typeof body.outputModel === 'string' ? body.outputModel : `accounts/${account}/models/${id}`,
        createdBy: 'dev@example.com',
      };
      jobs.set(id, { wire, plan, at: 0 });
      return { json: wire };
    })
    .on('GET', '/v1/accounts/:acct/supervisedFineTuningJobs', (ctx) => {
      checkAccount(ctx);
      if (ctx.query.has('filter')) throw fail(501, 'This fake does not implement filter.');
      const all = ordered(
        [...jobs.values()].map((j) => j.wire),
        ctx.query.get('orderBy'),
        ORDER_FIELDS,
      );
      const { page, nextPageToken } = paged(all, ctx.query);
      return { json: { supervisedFineTuningJobs: page, nextPageToken, totalSize: all.length } };
    })
    .on('GET', '/v1/accounts/:acct/supervisedFineTuningJobs/:job', (ctx) => {
      checkAccount(ctx);
      const job = jobOf(ctx.params.job ?? '');
      if (job.wire.state === 'JOB_STATE_DELETING') {
        jobs.delete(ctx.params.job ?? '');
        return { json: job.wire };
      }
      advance(job);
      return { json: job.wire };
    })
    .on('DELETE', '/v1/accounts/:acct/supervisedFineTuningJobs/:job', (ctx) => {
      checkAccount(ctx);
      // Stops the job if it runs; it reads as JOB_STATE_DELETING once, then is gone.
      moveTo(jobOf(ctx.params.job ?? ''), 'JOB_STATE_DELETING');
      return { json: {} };
    })
    .on('POST', '/v1/accounts/:acct/supervisedFineTuningJobs/:job', async (ctx) => {
      checkAccount(ctx);
      const [id, verb] = idAndVerb(ctx.params.job);
      if (verb !== 'resume') throw fail(404, `Unknown method ${verb ?? ''} on supervisedFineTuningJobs.`);
      await readJson(ctx, 1024, () => fail(400, 'Invalid JSON body.'));
      const job = jobOf(id);
      if (job.wire.state !== 'JOB_STATE_PAUSED') throw fail(400, `job ${job.wire.name} is ${job.wire.state}, and only a paused job can be resumed`);
      job.at++;
      moveTo(job, job.plan[job.at] ?? 'JOB_STATE_RUNNING');
      return { json: job.wire };
    })
    .on('GET', '/v1/accounts/:acct/models/:model', (ctx) => {
      const name = `accounts/${ctx.params.acct}/models/${ctx.params.model}`;
      const trained = [...jobs.values()].some((j) => WITH_MODEL.includes(j.wire.state) && j.wire.outputModel === name);
      if (!trained && !baseModels.includes(name)) throw fail(404, `model ${name} not found`);
      return { json: { name, state: 'READY', kind: trained ? 'HF_PEFT_ADDON' : 'HF_BASE_MODEL' } };
    });

  const served = await serveFake({ router, apiKey, errorBody: (status, message) => errorBody(status, message) });
  return {
    ...served,
    apiKey,
    account,
    baseUrl: `${served.url}/v1`,
    datasets: store.datasets,
    jobs,
    planNext: (plan) => (nextPlan = plan),
    slowNextDataset: (reads) => (store.slowReads = reads),
  };
}
