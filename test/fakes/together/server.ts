/**
 * A fake Together AI fine-tuning API on 127.0.0.1, written from Together's official OpenAPI spec:
 * POST /v1/files/upload (multipart: file, file_name, purpose, file_type), GET /v1/files/:id,
 * POST /v1/fine-tunes (checked by `validate.ts`), POST /v1/fine-tunes/estimate-price,
 * GET /v1/fine-tunes[/:id[/events|/checkpoints]], POST /v1/fine-tunes/:id/cancel, GET /v1/models.
 * Create, list and cancel answer `FinetuneResponseTruncated` (no events); get answers the full job.
 * Errors are `ErrorData`: `{"error":{"message","type","param","code"}}`. Times are the real clock;
 * a job moves one status along its plan each time it is read, so a poller sees it progress.
 */
import { randomBytes } from 'node:crypto';
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { HttpError, readJson, Router } from '../shared/http.js';
import { serveFake, type ServedFake } from './serve.js';
import { createViolations } from './validate.js';

export type TogetherStatus = 'pending' | 'queued' | 'running' | 'compressing' | 'uploading' | 'cancel_requested' | 'cancelled' | 'error' | 'completed';

export const SUCCESS_PLAN: TogetherStatus[] = ['pending', 'queued', 'running', 'running', 'compressing', 'uploading', 'completed'];
export const FAILURE_PLAN: TogetherStatus[] = ['pending', 'queued', 'running', 'error'];

/** USD per million trained tokens the fake prices at; a token is taken as 4 bytes of the file. */
export const PRICE_PER_MILLION = 0.48;

interface FakeFile {
  id: string;
  filename: string;
  bytes: number;
  sha256: string | null;
  purpose: string;
  createdAt: number;
}

interface FakeJob {
  wire: Record<string, unknown> & { id: string; status: TogetherStatus };
  plan: TogetherStatus[];
  at: number;
  events: Record<string, unknown>[];
  checkpoints: Record<string, unknown>[];
}

export interface FakeTogether extends ServedFake {
  apiKey: string;
  /** The `/v1` base URL to give the adapter. */
  baseUrl: string;
  files: Map<string, FakeFile>;
  jobs: Map<string, FakeJob>;
  /** The plan of the next created job (default: success). */
  planNext(plan: TogetherStatus[]): void;
  /** The account's credit limit the price estimate compares with (default 100 USD). */
  setUserLimit(usd: number): void;
}

export function errorBody(status: number, message: string, fields: { type?: string; code?: string | null; param?: string | null } = {}): unknown {
  const type = fields.type ?? (status === 429 ? 'rate_limit' : status >= 500 ? 'server_error' : 'invalid_request_error');
  const code = fields.code ?? (status === 401 ? 'invalid_api_key' : null);
  return { error: { message, type, param: fields.param ?? null, code } };
}

const invalid = (message: string, param: string | null = null): HttpError => new HttpError(400, errorBody(400, message, { param }));
const notFound = (what: string): HttpError => new HttpError(404, errorBody(404, `${what} not found.`));
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
/** `FinetuneResponseTruncated`: the job without its events. */
const truncated = (j: FakeJob): Record<string, unknown> => ({ ...j.wire });

/** `skewMs`: how far the provider's clock is off this machine's (negative: behind). */
export async function startFakeTogether(opts: { apiKey?: string; models?: string[]; skewMs?: number } = {}): Promise<FakeTogether> {
  const apiKey = opts.apiKey ?? 'tg-test-key-0123456789';
  const now = (): string => new Date(Date.now() + (opts.skewMs ?? 0)).toISOString();
  const event = (message: string, type: string, level = 'info', extra: Record<string, unknown> = {}) => ({ object: 'fine-tune-event', created_at: now(), level, message, type, ...extra });
  const models = opts.models ?? ['meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', 'Qwen/Qwen2.5-7B-Instruct'];
  const files = new Map<string, FakeFile>();
  const jobs = new Map<string, FakeJob>();
  let nextPlan: TogetherStatus[] | undefined;
  let userLimit = 100;

  const advance = (job: FakeJob): void => {
    const next = job.plan[job.at + 1];
    if (next === undefined || job.wire.status === 'cancelled') return;
    job.at++;
    const was = job.wire.status;
    job.wire.status = next;
    job.wire.updated_at = now();
    if (next === 'running' && was !== 'running') job.events.push(event('Training started', 'training_start'));
    if (next === 'running' && was === 'running') {
      const step = job.checkpoints.length + 1;
      job.checkpoints.push({ checkpoint_type: `Intermediate (step ${step})`, created_at: now(), path: `s3://fake/${job.wire.id}/checkpoint-${step}`, step });
      job.events.push(event(`Epoch ${step} completed`, 'epoch_complete', 'info', { step }));
    }
    if (next === 'completed') job.events.push(event('Job finished', 'job_complete'));
    if (next === 'error') job.events.push(event('Training data has a line without an assistant message.', 'job_error', 'error'));
  };
  const jobOf = (id: string): FakeJob => {
    const job = jobs.get(id);
    if (!job) throw notFound(`Fine-tune job ${id}`);
    return job;
  };
  const fileJson = (f: FakeFile) => ({ id: f.id, object: 'file', created_at: f.createdAt, filename: f.filename, bytes: f.bytes, purpose: f.purpose, Processed: true, FileType: 'jsonl' });
  const tokensOf = (fileId: unknown): number => Math.ceil((files.get(String(fileId))?.bytes ?? 0) / 4);

  const router = new Router()
    .on('POST', '/v1/files/upload', async (ctx) => {
      const boundary = boundaryOf(ctx.req.headers['content-type']);
      if (!boundary) throw invalid('Expected a multipart/form-data body.');
      let body;
      try {
        body = await readMultipart(ctx.req, boundary, { keepBytes: 1024 * 1024, onBytes: (n) => (ctx.record.bodyBytes = n) });
      } catch (err) {
        if (err instanceof MultipartError) throw invalid(err.message);
        throw err;
      }
      const file = body.files.file;
      if (!file) throw invalid("Missing required field 'file'.", 'file');
      if (body.fields.purpose !== 'fine-tune') throw invalid(`Invalid purpose '${body.fields.purpose ?? ''}'.`, 'purpose');
      const fileName = body.fields.file_name;
      if (!fileName) throw invalid("Missing required field 'file_name'.", 'file_name');
      if (file.bytes === 0) throw invalid('The file is empty.', 'file');
      const f: FakeFile = { id: `file-${hex(16)}`, filename: fileName, bytes: file.bytes, sha256: file.sha256, purpose: 'fine-tune', createdAt: Math.floor(Date.parse(now()) / 1000) };
      files.set(f.id, f);
      return { json: fileJson(f) };
    })
    .on('GET', '/v1/files/:id', (ctx) => {
      const f = files.get(ctx.params.id ?? '');
      if (!f) throw notFound(`File ${ctx.params.id}`);
      return { json: fileJson(f) };
    })
    .on('POST', '/v1/fine-tunes', async (ctx) => {
      const body = ((await readJson(ctx, 1024 * 1024, () => invalid('Invalid JSON body.'))) ?? {}) as Record<string, unknown>;
      const [violation] = createViolations(body);
      if (violation) throw invalid(violation.message, violation.param);
      if (!models.includes(String(body.model))) throw invalid(`Model ${String(body.model)} is not available for fine-tuning.`, 'model');
      if (!files.has(String(body.training_file))) throw invalid(`Training file ${String(body.training_file)} not found.`, 'training_file');
      const id = `ft-${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`;
      const plan = nextPlan ?? SUCCESS_PLAN;
      nextPlan = undefined;
      const suffix = typeof body.suffix === 'string' ? `-${body.suffix}` : '';
      const at = now();
      const wire = {
        ...body,
        id,
        status: plan[0] ?? 'pending',
        created_at: at,
        updated_at: at,
        user_id: 'user_fake',
        owner_address: 'dev@example.com',
        model_output_name: `fakeuser/${String(body.model).split('/').pop() ?? ''}${suffix}-${hex(4)}`,
        token_count: tokensOf(body.training_file),
        training_method: body.training_method ?? { method: 'sft', train_on_inputs: 'auto' },
        training_type: body.training_type ?? { type: 'Lora', lora_r: 8, lora_alpha: 16 },
      } as FakeJob['wire'];
      const job: FakeJob = { wire, plan, at: 0, events: [event('Fine tune request created', 'job_pending')], checkpoints: [] };
      jobs.set(id, job);
      return { json: truncated(job) };
    })
    .on('POST', '/v1/fine-tunes/estimate-price', async (ctx) => {
      const body = ((await readJson(ctx, 1024 * 1024, () => invalid('Invalid JSON body.'))) ?? {}) as Record<string, unknown>;
      if (typeof body.training_file !== 'string') throw invalid("'training_file' is a required property", 'training_file');
      if (!files.has(body.training_file)) throw invalid(`Training file ${body.training_file} not found.`, 'training_file');
      const epochs = typeof body.n_epochs === 'number' ? body.n_epochs : 1;
      const train = tokensOf(body.training_file) * epochs;
      const evals = typeof body.n_evals === 'number' && body.validation_file ? tokensOf(body.validation_file) * body.n_evals : 0;
      const price = Math.round(((train + evals) / 1e6) * PRICE_PER_MILLION * 1e6) / 1e6;
      return { json: { estimated_total_price: price, allowed_to_proceed: price <= userLimit, user_limit: userLimit, estimated_train_token_count: train, estimated_eval_token_count: evals } };
    })
    .on('GET', '/v1/fine-tunes', () => ({ json: { data: [...jobs.values()].map(truncated) } }))
    .on('GET', '/v1/fine-tunes/:id', (ctx) => {
      const job = jobOf(ctx.params.id ?? '');
      advance(job);
      return { json: { ...job.wire, events: job.events } };
    })
    .on('POST', '/v1/fine-tunes/:id/cancel', (ctx) => {
      const job = jobOf(ctx.params.id ?? '');
      if (['completed', 'error', 'cancelled'].includes(job.wire.status)) throw invalid(`Job ${job.wire.id} is already ${job.wire.status} and cannot be cancelled.`);
      // Stops on the next read: cancel_requested, then cancelled.
      job.wire.status = 'cancel_requested';
      job.wire.updated_at = now();
      job.plan = [...job.plan.slice(0, job.at + 1), 'cancelled'];
      job.events.push(event('Cancel requested', 'cancel_requested'));
      return { json: truncated(job) };
    })
    .on('GET', '/v1/fine-tunes/:id/events', (ctx) => ({ json: { data: jobOf(ctx.params.id ?? '').events } }))
    .on('GET', '/v1/fine-tunes/:id/checkpoints', (ctx) => ({ json: { data: [...jobOf(ctx.params.id ?? '').checkpoints].reverse() } }))
    .on('GET', '/v1/models', () => {
      const created = Math.floor(Date.now() / 1000);
      const tuned = [...jobs.values()].filter((j) => j.wire.status === 'completed').map((j) => String(j.wire.model_output_name));
      return {
        json: [...models.map((id) => ({ id, object: 'model', created, type: 'chat', organization: 'together' })), ...tuned.map((id) => ({ id, object: 'model', created, type: 'chat', organization: 'fakeuser' }))],
      };
    });

  const served = await serveFake({ router, apiKey, errorBody: (status, message, fault) => errorBody(status, message, fault ?? {}) });
  return { ...served, apiKey, baseUrl: `${served.url}/v1`, files, jobs, planNext: (plan) => (nextPlan = plan), setUserLimit: (usd) => (userLimit = usd) };
}
