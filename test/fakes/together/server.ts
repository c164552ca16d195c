/**
 * A fake Together AI fine-tuning API on 127.0.0.1, following the reference: POST /v1/files/upload
 * (multipart: file, file_name, purpose, file_type), GET /v1/files/:id, POST /v1/fine-tunes,
 * GET /v1/fine-tunes[/:id[/events|/checkpoints]], POST /v1/fine-tunes/:id/cancel, GET /v1/models.
 * Errors are `{"error":{"message","type","param","code"}}`. A job moves one status along its plan
 * each time it is read, so a polling client sees it progress without timers.
 */
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { HttpError, randomId, readJson, Router } from '../shared/http.js';
import { serveFake, type ServedFake } from './serve.js';

export type TogetherStatus = 'pending' | 'queued' | 'running' | 'compressing' | 'uploading' | 'cancel_requested' | 'cancelled' | 'error' | 'completed';

export const SUCCESS_PLAN: TogetherStatus[] = ['pending', 'queued', 'running', 'running', 'compressing', 'uploading', 'completed'];
export const FAILURE_PLAN: TogetherStatus[] = ['pending', 'queued', 'running', 'error'];

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
  files: Map<string, { id: string; filename: string; bytes: number; sha256: string | null; purpose: string }>;
  jobs: Map<string, FakeJob>;
  /** The plan of the next created job (default: success). */
  planNext(plan: TogetherStatus[]): void;
}

const TIME = Date.UTC(2026, 10, 24, 9, 0, 0);
const iso = (tick: number): string => new Date(TIME + tick * 60_000).toISOString();

export function errorBody(status: number, message: string, fields: { type?: string; code?: string | null; param?: string | null } = {}): unknown {
  const type = fields.type ?? (status === 429 ? 'rate_limit' : status >= 500 ? 'server_error' : 'invalid_request_error');
  const code = fields.code ?? (status === 401 ? 'invalid_api_key' : null);
  return { error: { message, type, param: fields.param ?? null, code } };
}

const invalid = (message: string, param: string | null = null): HttpError => new HttpError(400, errorBody(400, message, { param }));
const notFound = (what: string): HttpError => new HttpError(404, errorBody(404, `${what} not found.`));

export async function startFakeTogether(opts: { apiKey?: string; models?: string[] } = {}): Promise<FakeTogether> {
  const apiKey = opts.apiKey ?? 'tg-test-key-0123456789';
  const models = opts.models ?? ['meta-llama/Meta-Llama-3.1-8B-Instruct-Reference', 'Qwen/Qwen2.5-7B-Instruct'];
  const files: FakeTogether['files'] = new Map();
  const jobs = new Map<string, FakeJob>();
  let nextPlan: TogetherStatus[] | undefined;
  let tick = 0;

  const advance = (job: FakeJob): void => {
    const next = job.plan[job.at + 1];
    if (next === undefined || job.wire.status === 'cancelled') return;
    job.at++;
    tick++;
    const was = job.wire.status;
    job.wire.status = next;
    job.wire.updated_at = iso(tick);
    if (next === 'running' && was !== 'running') job.events.push({ object: 'fine-tune-event', created_at: iso(tick), level: 'info', message: 'Training started', type: 'training_start' });
    if (next === 'running' && was === 'running') {
      const step = job.checkpoints.length + 1;
      job.checkpoints.push({ checkpoint_type: `Intermediate (step ${step})`, created_at: iso(tick), path: `s3://fake/${job.wire.id}/checkpoint-${step}`, step });
      job.events.push({ object: 'fine-tune-event', created_at: iso(tick), level: 'info', message: `Epoch ${step} completed`, type: 'epoch_complete', step });
    }
    if (next === 'completed') job.events.push({ object: 'fine-tune-event', created_at: iso(tick), level: 'info', message: 'Job finished', type: 'job_complete' });
    if (next === 'error') job.events.push({ object: 'fine-tune-event', created_at: iso(tick), level: 'error', message: 'Training data has a line without an assistant message.', type: 'job_error' });
  };

  const jobOf = (id: string): FakeJob => {
    const job = jobs.get(id);
    if (!job) throw notFound(`Fine-tune job ${id}`);
    return job;
  };
  const publicJob = (j: FakeJob): Record<string, unknown> => ({ ...j.wire, events: j.events });

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
      const id = `file-${randomId('', 24).toLowerCase()}`;
      files.set(id, { id, filename: fileName, bytes: file.bytes, sha256: file.sha256, purpose: 'fine-tune' });
      const lines = file.content ? file.content.toString('utf8').split('\n').filter((l) => l.trim() !== '').length : 0;
      return { json: { id, object: 'file', created_at: Math.floor(TIME / 1000), filename: fileName, bytes: file.bytes, purpose: 'fine-tune', Processed: true, FileType: 'jsonl', LineCount: lines } };
    })
    .on('GET', '/v1/files/:id', (ctx) => {
      const f = files.get(ctx.params.id ?? '');
      if (!f) throw notFound(`File ${ctx.params.id}`);
      return { json: { id: f.id, object: 'file', created_at: Math.floor(TIME / 1000), filename: f.filename, bytes: f.bytes, purpose: f.purpose, Processed: true, FileType: 'jsonl' } };
    })
    .on('POST', '/v1/fine-tunes', async (ctx) => {
      const body = (await readJson(ctx, 1024 * 1024, () => invalid('Invalid JSON body.'))) as Record<string, unknown> | undefined;
      if (!body || typeof body.model !== 'string') throw invalid("Missing required field 'model'.", 'model');
      if (!models.includes(body.model)) throw invalid(`Model ${body.model} is not available for fine-tuning.`, 'model');
      if (typeof body.training_file !== 'string' || !files.has(body.training_file)) throw invalid(`Training file ${String(body.training_file)} not found.`, 'training_file');
      if (typeof body.suffix === 'string' && body.suffix.length > 64) throw invalid('Suffix must be at most 64 characters long.', 'suffix');
      const id = `ft-${randomId('', 8).toLowerCase()}-${randomId('', 4).toLowerCase()}`;
      const plan = nextPlan ?? SUCCESS_PLAN;
      nextPlan = undefined;
      tick++;
      const wire = {
        ...body,
        id,
        status: plan[0] ?? 'pending',
        created_at: iso(tick),
        updated_at: iso(tick),
        user_id: 'user_fake',
        model_output_name: `fakeuser/${body.model.split('/').pop() ?? body.model}${typeof body.suffix === 'string' ? `-${body.suffix}` : ''}-${id.slice(3, 11)}`,
        token_count: 12345,
        training_method: body.training_method ?? { method: 'sft' },
        training_type: body.training_type ?? { type: 'Lora', lora_r: 8, lora_alpha: 16 },
      } as FakeJob['wire'];
      const job: FakeJob = { wire, plan, at: 0, events: [{ object: 'fine-tune-event', created_at: iso(tick), level: 'info', message: 'Fine tune request created', type: 'job_pending' }], checkpoints: [] };
      jobs.set(id, job);
      return { json: publicJob(job) };
    })
    .on('GET', '/v1/fine-tunes', () => ({ json: { data: [...jobs.values()].map((j) => ({ ...j.wire })) } }))
    .on('GET', '/v1/fine-tunes/:id', (ctx) => {
      const job = jobOf(ctx.params.id ?? '');
      advance(job);
      return { json: publicJob(job) };
    })
    .on('POST', '/v1/fine-tunes/:id/cancel', (ctx) => {
      const job = jobOf(ctx.params.id ?? '');
      if (['completed', 'error', 'cancelled'].includes(job.wire.status)) throw invalid(`Job ${job.wire.id} is already ${job.wire.status} and cannot be cancelled.`);
      tick++;
      // Stops on the next read: cancel_requested, then cancelled.
      job.wire.status = 'cancel_requested';
      job.plan = [...job.plan.slice(0, job.at + 1), 'cancelled'];
      job.events.push({ object: 'fine-tune-event', created_at: iso(tick), level: 'info', message: 'Cancel requested', type: 'cancel_requested' });
      return { json: { ...job.wire } };
    })
    .on('GET', '/v1/fine-tunes/:id/events', (ctx) => ({ json: { data: jobOf(ctx.params.id ?? '').events } }))
    .on('GET', '/v1/fine-tunes/:id/checkpoints', (ctx) => ({ json: { data: [...jobOf(ctx.params.id ?? '').checkpoints].reverse() } }))
    .on('GET', '/v1/models', () => ({
      json: [
        ...models.map((id) => ({ id, object: 'model', type: 'chat', owned_by: 'together' })),
        ...[...jobs.values()].filter((j) => j.wire.status === 'completed').map((j) => ({ id: j.wire.model_output_name, object: 'model', type: 'chat', owned_by: 'fakeuser' })),
      ],
    }));

  const served = await serveFake({ router, apiKey, errorBody: (status, message, fault) => errorBody(status, message, fault ?? {}) });
  return { ...served, apiKey, baseUrl: `${served.url}/v1`, files, jobs, planNext: (plan) => (nextPlan = plan) };
}
