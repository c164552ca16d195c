/**
 * The control endpoint of a fake started by `npm run fake`, on a port of its own so it never
 * collides with the provider's paths:
 *
 *   POST   /__control/faults        a fault (or a list): {"match":"POST /v1/fine-tunes","status":503,"times":5}
 *   DELETE /__control/faults        clears them
 *   GET    /__control/faults        the faults not used up yet
 *   POST   /__control/fail-next-job the next created job fails, as the provider reports a failed job
 *   GET    /__control/requests      what the fake received: method, path, status, fault
 */
import type { FaultSpec } from './shared/faults.js';
import { HttpError, listen, newRecord, readJson, Router, writeReply, type StartedServer } from './shared/http.js';
import type { RunningFake } from './registry.js';

const FIELDS: Record<string, 'string' | 'number' | 'boolean' | 'object'> = {
  match: 'string',
  times: 'number',
  skip: 'number',
  status: 'number',
  error: 'object',
  retryAfter: 'number',
  retryAfterMs: 'number',
  headers: 'object',
  drop: 'boolean',
  loseResponse: 'boolean',
  delayMs: 'number',
};

const bad = (message: string): HttpError => new HttpError(400, { error: { message } });

/** A fault from JSON: only the documented fields, with their types; `match` is required. */
export function faultFrom(value: unknown): FaultSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('a fault is a JSON object');
  const spec = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(spec)) {
    const type = FIELDS[key];
    if (!type) throw bad(`unknown fault field "${key}"; known: ${Object.keys(FIELDS).join(', ')}`);
    if (typeof v !== type || v === null) throw bad(`fault field "${key}" must be a ${type}`);
  }
  if (typeof spec.match !== 'string') throw bad('a fault needs "match", e.g. "POST /v1/fine-tunes" (* is one path segment, ** any rest)');
  return spec as unknown as FaultSpec;
}

export function startControl(fake: RunningFake): Promise<StartedServer> {
  const router = new Router()
    .on('POST', '/__control/faults', async (ctx) => {
      const body = await readJson(ctx, 64 * 1024, () => bad('the body is not JSON'));
      const specs = (Array.isArray(body) ? body : [body]).map(faultFrom);
      fake.faults.push(...specs);
      return { json: { added: specs.length, pending: fake.faults.pending() } };
    })
    .on('GET', '/__control/faults', () => ({ json: { pending: fake.faults.pending() } }))
    .on('DELETE', '/__control/faults', () => {
      fake.faults.clear();
      return { json: { pending: [] } };
    })
    .on('POST', '/__control/fail-next-job', () => {
      fake.failNextJob();
      return { json: { failNextJob: true } };
    })
    .on('GET', '/__control/requests', () => ({
      json: { requests: fake.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, fault: r.fault })) },
    }));

  return listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const method = req.method ?? 'GET';
    const answer = async () => {
      const found = router.find(method, url.pathname);
      if (found === undefined) throw new HttpError(404, { error: { message: `no control endpoint ${url.pathname}; see the comment the fake printed` } });
      if (found === 'wrong_method') throw new HttpError(405, { error: { message: `${method} is not allowed on ${url.pathname}` } });
      const record = newRecord(req, url.pathname, url.searchParams);
      return found.handler({ req, res, method, path: url.pathname, query: url.searchParams, params: found.params, record });
    };
    answer().then(
      (reply) => writeReply(res, reply, {}),
      (err: unknown) => {
        if (err instanceof HttpError) writeReply(res, { status: err.status, json: err.body }, {});
        else writeReply(res, { status: 500, json: { error: { message: String(err) } } }, {});
      },
    );
  });
}
