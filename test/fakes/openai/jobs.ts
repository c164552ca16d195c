/** `/v1/fine_tuning/jobs`: create, list (cursor + metadata filter), retrieve, cancel, pause, resume, events, checkpoints. */
import { readJson, type HttpError, type RequestContext, type Reply, type Router } from '../shared/http.js';
import { badJson, invalid, limitOf, notFound } from './api-error.js';
import type { FakeContext } from './context.js';
import { cancelJob, createJob, isActive, pauseJob, resumeJob } from './lifecycle.js';
import { paginate, type StoredJob } from './state.js';
import { validateCreateJob } from './validate-job.js';

export function jobRoutes(router: Router, fake: FakeContext): void {
  router.on('POST', '/v1/fine_tuning/jobs', async (ctx) => {
    const params = validateCreateJob(await readJson(ctx, 1024 * 1024, badJson), fake);
    return { json: createJob(fake, params).object };
  });
  router.on('GET', '/v1/fine_tuning/jobs', (ctx) => listJobs(ctx, fake));
  router.on('GET', '/v1/fine_tuning/jobs/:job_id', (ctx) => ({ json: findJob(fake, ctx).object }));
  router.on('POST', '/v1/fine_tuning/jobs/:job_id/cancel', (ctx) => {
    const job = findJob(fake, ctx);
    if (!isActive(job) && job.object.status !== 'paused') throw notNow(job, 'cancelled', 'job_not_cancellable');
    cancelJob(fake, job);
    return { json: job.object };
  });
  router.on('POST', '/v1/fine_tuning/jobs/:job_id/pause', (ctx) => {
    const job = findJob(fake, ctx);
    if (job.object.status !== 'running') throw notNow(job, 'paused', 'job_not_pausable');
    pauseJob(fake, job);
    return { json: job.object };
  });
  router.on('POST', '/v1/fine_tuning/jobs/:job_id/resume', (ctx) => {
    const job = findJob(fake, ctx);
    if (job.object.status !== 'paused') throw notNow(job, 'resumed', 'job_not_resumable');
    resumeJob(fake, job);
    return { json: job.object };
  });
  router.on('GET', '/v1/fine_tuning/jobs/:job_id/events', (ctx) => {
    const job = findJob(fake, ctx);
    return { json: { object: 'list', ...page(fake, [...job.events].reverse(), ctx.query.get('after'), limitOf(ctx.query, 20)) } };
  });
  router.on('GET', '/v1/fine_tuning/jobs/:job_id/checkpoints', (ctx) => {
    const job = findJob(fake, ctx);
    const found = page(fake, [...job.checkpoints].reverse(), ctx.query.get('after'), limitOf(ctx.query, 10));
    return { json: { object: 'list', ...found, first_id: found.data[0]?.id ?? null, last_id: found.data[found.data.length - 1]?.id ?? null } };
  });
}

/** A page as OpenAI pages; with `brokenPaging` set, the first page again and again, always with `has_more: true`. */
function page<T extends { id: string }>(fake: FakeContext, items: T[], after: string | null, limit: number): { data: T[]; has_more: boolean } {
  if (fake.brokenPaging) return { data: items.slice(0, limit), has_more: true };
  return paginate(items, after, limit);
}

function notNow(job: StoredJob, what: string, code: string): HttpError {
  return invalid(`Job ${job.object.id} is ${job.object.status} and cannot be ${what}.`, null, code);
}

function findJob(fake: FakeContext, ctx: RequestContext): StoredJob {
  const id = ctx.params.job_id ?? '';
  const job = fake.state.jobs.get(id);
  if (!job) throw notFound(`Could not find fine-tune: ${id}`, 'fine_tuning_job_id');
  return job;
}

/** `metadata[k]=v` pairs must all match; `metadata=null` selects jobs without metadata. */
function listJobs(ctx: RequestContext, fake: FakeContext): Reply {
  const wanted: [string, string][] = [];
  let noMetadata = false;
  for (const [key, value] of ctx.query) {
    const m = /^metadata\[(.+)\]$/.exec(key);
    if (m?.[1] !== undefined) wanted.push([m[1], value]);
    else if (key === 'metadata' && value === 'null') noMetadata = true;
  }
  const jobs = [...fake.state.jobs.values()]
    .map((j) => j.object)
    .reverse()
    .filter((j) => (noMetadata ? !j.metadata || Object.keys(j.metadata).length === 0 : wanted.every(([k, v]) => j.metadata?.[k] === v)));
  return { json: { object: 'list', ...page(fake, jobs, ctx.query.get('after'), limitOf(ctx.query, 20)) } };
}
