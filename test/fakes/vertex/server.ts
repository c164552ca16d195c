/**
 * A fake Google Cloud on one 127.0.0.1 port: the OAuth token endpoint (`POST /token`), the Vertex
 * AI tuning API v1 (`projects.locations.tuningJobs` create/get/list/cancel, plus model and
 * endpoint lookups) and the Cloud Storage JSON API (../gcs/server.ts). Every Vertex call needs a
 * bearer token the token endpoint issued; Cloud Storage takes requests without one, as emulators
 * do (set `gcsAuth` to check them too). Errors are `google.rpc.Status` bodies
 * (`{error: {code, message, status}}`); faults inject 429 RESOURCE_EXHAUSTED, 503 UNAVAILABLE,
 * dropped connections and lost answers. Resource names carry the project number, as Vertex's do.
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFault, FaultQueue, type FaultSpec } from '../shared/faults.js';
import { drain, listen, newRecord, readJson, sleep, writeReply, HttpError, type RecordedRequest, type RequestContext, type StartedServer } from '../shared/http.js';
import { createStore, gcsHandler, type FakeGcs, type GcsStore } from '../gcs/server.js';
import { isTerminalView, jobView, type FakeJob, type Outcome } from './jobs.js';
import { CLOUD_PLATFORM, newServiceAccount, TokenIssuer, writeKeyFile, type ServiceAccount } from './oauth.js';

export const STATUS_NAMES: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

export function rpcError(code: number, message: string, status = STATUS_NAMES[code] ?? 'UNKNOWN', headers: Record<string, string> = {}): HttpError {
  return new HttpError(code, { error: { code, message, status } }, headers);
}

const ADAPTER_SIZES = ['ADAPTER_SIZE_ONE', 'ADAPTER_SIZE_TWO', 'ADAPTER_SIZE_FOUR', 'ADAPTER_SIZE_EIGHT', 'ADAPTER_SIZE_SIXTEEN'];
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

export interface FakeGoogleOptions {
  /** Projects the service account may use, id → number. */
  projects?: Record<string, string>;
  locations?: string[];
  tunableModels?: string[];
  buckets?: string[];
  /** Real time per job phase (and per epoch); default 120 ms. */
  stepMs?: number;
  /** Examples longer than this many characters are reported truncated. */
  maxExampleChars?: number;
  /** Check bearer tokens on Cloud Storage calls too. */
  gcsAuth?: boolean;
}

export interface FakeGoogle extends StartedServer {
  account: ServiceAccount;
  tokens: TokenIssuer;
  store: GcsStore;
  gcs: Pick<FakeGcs, 'cutNextChunkAfter' | 'expireSessions'>;
  faults: FaultQueue;
  requests: RecordedRequest[];
  jobs: Map<string, FakeJob>;
  /** `host:port`, for STORAGE_EMULATOR_HOST. */
  host: string;
  /** How the next created job ends. */
  nextOutcome(outcome: Outcome): void;
  writeKeyFile(path: string): Promise<void>;
}

export async function startFakeGoogle(o: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const projects = o.projects ?? { 'llmgw-test': '123456789012' };
  const locations = o.locations ?? ['us-central1', 'europe-west4'];
  const tunable = o.tunableModels ?? ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gemini-2.0-flash-001'];
  const stepMs = o.stepMs ?? 120;
  const maxChars = o.maxExampleChars ?? 131_072 * 4;
  const account = newServiceAccount(Object.keys(projects)[0] ?? 'llmgw-test');
  const tokens = new TokenIssuer();
  tokens.register(account);
  const store = createStore(o.buckets ?? ['llmgw-data']);
  const faults = new FaultQueue();
  const gcsFaults = new FaultQueue();
  const gcs = gcsHandler(store, { tokens: o.gcsAuth ? tokens : undefined, faults: gcsFaults });
  const requests: RecordedRequest[] = [];
  const jobs = new Map<string, FakeJob>();
  let outcome: Outcome = 'succeed';

  const parent = (p: string, l: string): string => {
    const number = projects[p] ?? Object.entries(projects).find(([, n]) => n === p)?.[1];
    if (number === undefined) throw rpcError(403, `Permission 'aiplatform.tuningJobs.list' denied on resource '//aiplatform.googleapis.com/projects/${p}/locations/${l}' (or it may not exist).`);
    if (!locations.includes(l)) throw rpcError(400, `Location ${l} is not supported for tuning. Supported locations: ${locations.join(', ')}.`);
    return `projects/${number}/locations/${l}`;
  };
  const view = (j: FakeJob): Record<string, unknown> => jobView(j, Date.now(), store, maxChars);
  const jobOf = (p: string, l: string, id: string): FakeJob => {
    const job = jobs.get(`${parent(p, l)}/tuningJobs/${id}`);
    if (!job) throw rpcError(404, `The TuningJob does not exist: projects/${p}/locations/${l}/tuningJobs/${id}.`);
    return job;
  };

  const create = (body: Record<string, unknown>, p: string, l: string): Record<string, unknown> => {
    const where = parent(p, l);
    const base = body.baseModel;
    if (typeof base !== 'string' && !body.preTunedModel) throw rpcError(400, 'baseModel is required.');
    if (typeof base === 'string' && !tunable.includes(base.replace(/^publishers\/google\/models\//, ''))) throw rpcError(400, `Base model ${base} is not supported for tuning in ${l}.`);
    const specs = ['supervisedTuningSpec', 'preferenceOptimizationSpec'].filter((k) => k in body);
    if (specs.length !== 1) throw rpcError(400, 'Exactly one of supervisedTuningSpec and preferenceOptimizationSpec must be set.');
    const spec = body[specs[0] as string] as Record<string, unknown>;
    for (const k of ['trainingDatasetUri', 'validationDatasetUri']) {
      if (spec[k] !== undefined && !String(spec[k]).startsWith('gs://')) throw rpcError(400, `${k} must be a Cloud Storage URI (gs://…).`);
    }
    if (typeof spec.trainingDatasetUri !== 'string') throw rpcError(400, 'trainingDatasetUri is required.');
    const hp = (spec.hyperParameters ?? {}) as Record<string, unknown>;
    const epochs = hp.epochCount === undefined ? 3 : Number(hp.epochCount);
    if (!Number.isInteger(epochs) || epochs < 1) throw rpcError(400, 'hyperParameters.epochCount must be a positive integer.');
    if (hp.learningRateMultiplier !== undefined && !(Number(hp.learningRateMultiplier) > 0)) throw rpcError(400, 'hyperParameters.learningRateMultiplier must be positive.');
    if (hp.adapterSize !== undefined && !ADAPTER_SIZES.includes(String(hp.adapterSize))) throw rpcError(400, `Invalid value for hyperParameters.adapterSize: ${String(hp.adapterSize)}.`);
    const labels = (body.labels ?? {}) as Record<string, string>;
    if (Object.keys(labels).length > 64 || Object.entries(labels).some(([k, v]) => !LABEL_KEY.test(k) || !LABEL_VALUE.test(v))) throw rpcError(400, 'Invalid labels: keys and values must be lowercase letters, digits, _ or -, at most 63 characters.');
    if (typeof body.tunedModelDisplayName === 'string' && body.tunedModelDisplayName.length > 128) throw rpcError(400, 'tunedModelDisplayName must be at most 128 characters.');
    const id = String(randomInt(10 ** 11, 10 ** 12));
    const job: FakeJob = { id, name: `${where}/tuningJobs/${id}`, body, createdMs: Date.now(), stepMs, epochs, outcome, cancelledMs: null, data: undefined };
    outcome = 'succeed';
    jobs.set(job.name, job);
    return view(job);
  };

  const list = (q: URLSearchParams, p: string, l: string): Record<string, unknown> => {
    const where = parent(p, l);
    if (q.get('filter')) throw rpcError(400, `Unsupported filter: ${q.get('filter')}.`);
    const size = Math.min(Math.max(Number(q.get('pageSize') ?? 100) || 100, 1), 100);
    const start = q.get('pageToken') ? Number(Buffer.from(q.get('pageToken') as string, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0) throw rpcError(400, 'Invalid page token.');
    // Newest first.
    const all = [...jobs.values()].filter((j) => j.name.startsWith(`${where}/`)).sort((a, b) => b.createdMs - a.createdMs || (b.id < a.id ? -1 : 1));
    const page = all.slice(start, start + size).map(view);
    const more = start + size < all.length;
    return { tuningJobs: page, ...(more ? { nextPageToken: Buffer.from(String(start + size)).toString('base64url') } : {}) };
  };

  const route = async (ctx: RequestContext): Promise<unknown> => {
    const { method, path } = ctx;
    let m = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/tuningJobs$/.exec(path);
    if (m && method === 'POST') return create(((await readJson(ctx, 1 << 20, () => rpcError(400, 'Invalid JSON payload received.'))) ?? {}) as Record<string, unknown>, m[1] as string, m[2] as string);
    if (m && method === 'GET') return list(ctx.query, m[1] as string, m[2] as string);
    m = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/tuningJobs\/(\d+)(:cancel)?$/.exec(path);
    if (m && method === 'GET' && !m[4]) return view(jobOf(m[1] as string, m[2] as string, m[3] as string));
    if (m && method === 'POST' && m[4]) {
      await drain(ctx.req, ctx.record);
      const job = jobOf(m[1] as string, m[2] as string, m[3] as string);
      const v = view(job);
      if (isTerminalView(v)) throw rpcError(400, `The TuningJob is in state ${String(v.state)} and cannot be cancelled.`, 'FAILED_PRECONDITION');
      job.cancelledMs ??= Date.now();
      return {};
    }
    m = /^\/v1(?:beta1)?\/publishers\/google\/models\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      if (!tunable.includes(m[1] as string)) throw rpcError(404, `Publisher Model \`publishers/google/models/${m[1]}\` not found.`);
      return { name: `publishers/google/models/${m[1]}`, versionId: '001' };
    }
    m = /^\/v1(?:beta1)?\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      const name = `${parent(m[1] as string, m[2] as string)}/endpoints/${m[3]}`;
      const served = [...jobs.values()].some((j) => (view(j).tunedModel as { endpoint?: string } | undefined)?.endpoint === name);
      if (!served) throw rpcError(404, `Endpoint ${name} not found.`);
      return { name, displayName: 'tuned' };
    }
    throw rpcError(404, `Method not found: ${method} ${path}.`);
  };

  const serveVertex = async (req: IncomingMessage, res: ServerResponse, record: RecordedRequest, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const fault = faults.take({ method, path: url.pathname });
    if (fault) record.fault = describeFault(fault);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.drop) return void req.socket.destroy();
    try {
      if (fault?.status !== undefined) {
        await drain(req, record);
        throw rpcError(fault.status, fault.error?.message ?? faultMessage(fault), undefined, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
      }
      if (url.pathname === '/token' && method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
        const answer = tokens.exchange(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        record.status = answer.status;
        return writeReply(res, { status: answer.status, json: answer.json }, {});
      }
      if (!tokens.check(req.headers.authorization, CLOUD_PLATFORM)) {
        await drain(req, record);
        throw rpcError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
      }
      const json = await route({ req, res, method, path: url.pathname, query: url.searchParams, params: {}, record });
      if (fault?.loseResponse) return void req.socket.destroy();
      record.status = 200;
      writeReply(res, { json }, {});
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      record.status = err.status;
      writeReply(res, { status: err.status, json: err.body }, err.headers);
    }
  };

  const server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record = newRecord(req, url.pathname, url.searchParams);
    requests.push(record);
    gcs
      .handle(req, res, record)
      .then((handled) => (handled ? undefined : serveVertex(req, res, record, url)))
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake crashed: ${String(err)}`);
      });
  });
  const host = server.url.replace(/^http:\/\//, '');
  // One queue for both APIs: Vertex faults match /v1/…, Cloud Storage ones /storage/… and /upload/….
  const both = new FaultQueue();
  both.push = (...specs: FaultSpec[]) => {
    for (const s of specs) (typeof s.match === 'string' && /\s\/(storage|upload)\//.test(s.match) ? gcsFaults : faults).push(s);
    return both;
  };
  both.clear = () => {
    faults.clear();
    gcsFaults.clear();
  };
  return {
    ...server,
    account,
    tokens,
    store,
    gcs,
    faults: both,
    requests,
    jobs,
    host,
    nextOutcome: (next) => void (outcome = next),
    writeKeyFile: (path) => writeKeyFile(path, account, `${server.url}/token`),
  };
}

function faultMessage(f: FaultSpec): string {
  if (f.status === 429) return 'Quota exceeded for aiplatform.googleapis.com/tuning_job_requests. Please try again later.';
  if (f.status === 503) return 'The service is currently unavailable.';
  return `Fault injected: HTTP ${f.status}.`;
}
