/**
 * A fake OpenAI API on 127.0.0.1 (port 0), following the documented contract for Files, Uploads,
 * fine-tuning jobs and models, with a clock the test controls and per-test fault injection.
 *
 *   const fake = await startFakeOpenAI({ maxFileBytes: 1024 });
 *   const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL });
 *   fake.faults.push({ match: 'POST /v1/fine_tuning/jobs', status: 429, retryAfterMs: 10 });
 *   fake.clock.advance(60_000); // jobs move on
 *   await fake.close();
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFault, FaultQueue, type FaultSpec } from '../shared/faults.js';
import { drain, HttpError, listen, newRecord, Router, sleep, writeReply, type RecordedRequest } from '../shared/http.js';
import { apiError, faultError } from './api-error.js';
import { withDefaults, type FakeContext, type FakeOpenAIOptions } from './context.js';
import { fileRoutes } from './files.js';
import { jobRoutes } from './jobs.js';
import { isActive, runDue, stepJob } from './lifecycle.js';
import { modelRoutes, seedBaseModels } from './models.js';
import { emptyState, FakeClock, type FakeState, type JobPlan, type StoredJob } from './state.js';
import { uploadRoutes } from './uploads.js';

export type { FakeOpenAIOptions } from './context.js';

export interface FakeOpenAI {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `url + '/v1'`: what to give the SDK (or `--base-url`). */
  baseURL: string;
  apiKey: string;
  state: FakeState;
  clock: FakeClock;
  faults: FaultQueue;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests matching `'METHOD /path'` (`*` = one segment). */
  count(match: string): number;
  jobs: {
    get(id: string): StoredJob;
    /** Moves a job `n` transitions on, now. */
    step(id: string, n?: number): StoredJob;
    /** Runs a job to its end (success, or the failure its plan holds). */
    finish(id: string): StoredJob;
    /** The next created job follows this plan (queue; one per job). */
    planNext(plan: Partial<JobPlan>): void;
  };
  models: {
    setShutdownDate(id: string, date: string | null): void;
    remove(id: string): void;
  };
  /** Makes every list answer its first page with `has_more: true` whatever the cursor (or stops that). */
  breakPaging(on?: boolean): void;
  close(): Promise<void>;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const opts = withDefaults(options);
  const fake: FakeContext = { opts, state: emptyState(), clock: new FakeClock(opts.startTime), nextPlans: [], brokenPaging: false };
  fake.clock.onAdvance((now) => runDue(fake, now));
  seedBaseModels(fake);
  const router = new Router();
  fileRoutes(router, fake);
  uploadRoutes(router, fake);
  jobRoutes(router, fake);
  modelRoutes(router, fake);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];

  const server = await listen((req, res) => {
    // Chat completions, when a handler for them is given (`npm run fake -- openai`, for `llmgw eval`).
    if (options.chat && req.method === 'POST' && (req.url ?? '').split('?')[0]?.endsWith('/chat/completions')) return options.chat(req, res);
    void serve(req, res, { fake, router, faults, requests });
  });

  const job = (id: string): StoredJob => {
    const j = fake.state.jobs.get(id);
    if (!j) throw new Error(`fake has no job ${id}`);
    return j;
  };
  return {
    url: server.url,
    baseURL: `${server.url}/v1`,
    apiKey: opts.apiKey,
    state: fake.state,
    clock: fake.clock,
    faults,
    requests,
    count: (match) => {
      const probe = new FaultQueue().push({ match, times: Number.MAX_SAFE_INTEGER });
      return requests.filter((r) => probe.take(r)).length;
    },
    jobs: {
      get: job,
      step: (id, n = 1) => {
        for (let i = 0; i < n; i++) stepJob(fake, job(id));
        return job(id);
      },
      finish: (id) => {
        for (let i = 0; i < 10_000 && isActive(job(id)); i++) stepJob(fake, job(id));
        return job(id);
      },
      planNext: (plan) => void fake.nextPlans.push(plan),
    },
    models: {
      setShutdownDate: (id, date) => {
        const m = fake.state.models.get(id);
        if (!m) throw new Error(`fake has no model ${id}`);
        m.shutdownDate = date;
      },
      remove: (id) => void fake.state.models.delete(id),
    },
    breakPaging: (on = true) => void (fake.brokenPaging = on),
    close: server.close,
  };
}

interface Deps {
  fake: FakeContext;
  router: Router;
  faults: FaultQueue;
  requests: RecordedRequest[];
}

async function serve(req: IncomingMessage, res: ServerResponse, { fake, router, faults, requests }: Deps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://fake');
  const method = req.method ?? 'GET';
  const record = newRecord(req, url.pathname, url.searchParams);
  requests.push(record);
  const headers = { 'x-request-id': `req_${randomBytes(16).toString('hex')}`, 'openai-organization': fake.opts.orgSlug, 'openai-processing-ms': '12' };
  const answer = (status: number, json: unknown, extra: Record<string, string> = {}): void => {
    record.status = status;
    writeReply(res, { status, json }, { ...headers, ...extra });
  };
  try {
    if (fake.opts.advancePerRequestMs > 0) fake.clock.advance(fake.opts.advancePerRequestMs);
    const fault = faults.take({ method, path: url.pathname });
    if (fault) record.fault = describeFault(fault);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.drop) {
      req.socket.destroy();
      return;
    }
    checkAuth(req, fake.opts.apiKey);
    if (fault?.status !== undefined) {
      await drain(req, record);
      return answer(fault.status, { error: { ...faultError(fault.status), param: null, ...fault.error } }, faultHeaders(fault));
    }
    const found = router.find(method, url.pathname);
    if (!found || found === 'wrong_method') throw apiError(404, `Invalid URL (${method} ${url.pathname})`);
    const reply = await found.handler({ req, res, method, path: url.pathname, query: url.searchParams, params: found.params, record });
    if (!req.readableEnded) await drain(req, record);
    if (fault?.loseResponse) {
      record.status = reply.status ?? 200;
      req.socket.destroy();
      return;
    }
    record.status = reply.status ?? 200;
    writeReply(res, reply, headers);
  } catch (err) {
    if (!req.readableEnded && !req.destroyed) await drain(req, record).catch(() => undefined);
    if (res.headersSent || req.socket.destroyed) return;
    if (err instanceof HttpError) return answer(err.status, err.body, err.headers);
    answer(500, { error: { message: `fake server bug: ${err instanceof Error ? err.message : String(err)}`, type: 'server_error', param: null, code: null } });
  }
}

function checkAuth(req: IncomingMessage, key: string): void {
  const header = req.headers.authorization;
  if (!header) {
    throw apiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password.",
    );
  }
  const given = header.replace(/^Bearer\s+/i, '');
  if (given !== key) {
    // OpenAI echoes a masked form of the wrong key; clients must not print even that.
    const masked = given.length > 8 ? `${given.slice(0, 3)}${'*'.repeat(Math.min(given.length - 7, 40))}${given.slice(-4)}` : '****';
    throw apiError(401, `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, { code: 'invalid_api_key' });
  }
}

function faultHeaders(f: FaultSpec): Record<string, string> {
  return {
    ...(f.retryAfter !== undefined && { 'retry-after': String(f.retryAfter) }),
    ...(f.retryAfterMs !== undefined && { 'retry-after-ms': String(f.retryAfterMs) }),
    ...f.headers,
  };
}
