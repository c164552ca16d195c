/**
 * Cloud Storage's resumable upload protocol (JSON API, "Perform resumable uploads"), streamed:
 * 1. POST /upload/storage/v1/b/BUCKET/o?uploadType=resumable&name=NAME → the session URI in `Location`;
 * 2. PUT chunks (multiples of 256 KiB, the last one any size) with `Content-Range: bytes A-B/TOTAL`
 *    (`*` while the total is unknown); `308` + `Range: bytes=0-N` says what the service has;
 * 3. the last chunk's answer (200/201) is the object.
 * The bytes come from any async source (a file, or a conversion running alongside), held in
 * memory only until the service confirms them. After a dropped connection or a 5xx, the session is
 * asked what it has (`PUT` with `Content-Range: bytes *` / TOTAL) and the upload goes on from there.
 * A session lasts a week, so it is also recorded (`memory`) as soon as it exists: a later run of
 * the same upload asks it the same question and sends only what it lacks, skipping the bytes
 * before that in the source. A session the service no longer knows (404/410) is replaced.
 */
import { InterruptedError, ProviderError } from '../../../errors.js';
import { googleHttpError, type GoogleContext } from '../errors.js';
import type { GcsClient, GcsObject } from './client.js';
import { isMissingBucket, missingBucket } from './client.js';
import { pause } from '../../../sleep.js';
import { backoffMs, retryableStatus } from './retry.js';

/** Chunks other than the last must be a multiple of this. */
export const CHUNK_QUANTUM = 256 * 1024;
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface ResumableUploadRequest {
  bucket: string;
  name: string;
  contentType?: string | undefined;
  /** Custom metadata stored on the object (e.g. its SHA-256). */
  metadata?: Record<string, string> | undefined;
  /** The size, when known up front (sent as X-Upload-Content-Length and in each Content-Range). */
  totalBytes?: number | undefined;
  /** Bytes per PUT, rounded down to a multiple of 256 KiB (default 8 MiB, Google's advice). */
  chunkBytes?: number | undefined;
  /** `0`: create the object only if there is none by that name (another upload of it may have won). */
  ifGenerationMatch?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((sentBytes: number, totalBytes: number | null) => void) | undefined;
  /** Where the session URI is kept between runs, so an upload cut short goes on where it stopped. */
  memory?: SessionMemory | undefined;
  /** Called once when an earlier run's session is taken up, with the bytes the service already has. */
  onResume?: ((fromBytes: number) => void) | undefined;
}

/** The session URI of one upload (one object, one set of bytes), kept across runs. */
export interface SessionMemory {
  recall(): Promise<string | undefined>;
  /** Called as soon as the session exists. */
  remember(uri: string): Promise<void>;
  /** Called once the upload is complete, or its session is gone. */
  forget(): Promise<void>;
}

/**
 * The upload's outcome: the new object (`resumedFrom`: the bytes an earlier run had sent, which
 * were not sent again), or `exists` when `ifGenerationMatch: 0` found one already.
 */
export type UploadOutcome = { kind: 'uploaded'; object: GcsObject; resumedFrom: number } | { kind: 'exists' };

/** The bytes not yet confirmed by the service, as a queue of buffers. */
class Pending {
  private readonly parts: Buffer[] = [];
  bytes = 0;

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.parts.push(Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    this.bytes += b.length;
  }

  /** The first `n` bytes, without removing them. */
  peek(n: number): Buffer {
    const first = this.parts[0];
    if (first && first.length >= n) return first.subarray(0, n);
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    for (const p of this.parts) {
      if (at >= n) break;
      at += p.copy(out, at, 0, Math.min(p.length, n - at));
    }
    return out;
  }

  drop(n: number): void {
    this.bytes -= n;
    while (n > 0) {
      const first = this.parts[0] as Buffer;
      if (first.length <= n) {
        n -= first.length;
        this.parts.shift();
      } else {
        this.parts[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}

/** The confirmed size from a 308's `Range: bytes=0-N` (no header: nothing yet). */
function confirmedBytes(res: Response): number {
  const m = /bytes=0-(\d+)/.exec(res.headers.get('range') ?? '');
  return m ? Number(m[1]) + 1 : 0;
}

export function uploadContext(req: { bucket: string; name: string }): GoogleContext {
  return {
    service: 'Cloud Storage',
    action: `upload gs://${req.bucket}/${req.name}`,
    permissionHint: `grant the caller the Storage Object User role (roles/storage.objectUser) on gs://${req.bucket}, or name a bucket it can write with --bucket`,
  };
}

export async function resumableUpload(client: GcsClient, source: AsyncIterable<Uint8Array>, req: ResumableUploadRequest): Promise<UploadOutcome> {
  const ctx = uploadContext(req);
  const chunkBytes = Math.max(CHUNK_QUANTUM, Math.floor((req.chunkBytes ?? DEFAULT_CHUNK_BYTES) / CHUNK_QUANTUM) * CHUNK_QUANTUM);
  const earlier = await resumeSession(client, req, ctx);
  if (earlier?.kind === 'complete') return earlier.outcome;
  let session: string;
  let offset = 0;
  if (earlier) {
    session = earlier.session;
    offset = earlier.offset;
    if (offset > 0) req.onResume?.(offset);
  } else {
    const started = await startSession(client, req, ctx);
    if (started === 'exists') return { kind: 'exists' };
    session = started;
    await req.memory?.remember(session);
  }
  const resumedFrom = offset;
  req.onProgress?.(offset, req.totalBytes ?? null);
  const pending = new Pending();
  // The bytes the service already has: read from the source (it cannot seek) and not kept.
  let skip = offset;
  let done: UploadOutcome | undefined;

  /** Sends what can be sent now (everything when `final`); returns the outcome once the object exists. */
  const flush = async (final: boolean): Promise<void> => {
    while (done === undefined) {
      const n = final ? pending.bytes : Math.floor(Math.min(pending.bytes, chunkBytes) / CHUNK_QUANTUM) * CHUNK_QUANTUM;
      if (!final && n < chunkBytes) return;
      const total = final ? String(offset + pending.bytes) : '*';
      const range = n === 0 ? `bytes */${total}` : `bytes ${offset}-${offset + n - 1}/${total}`;
      const res = await putWithRecovery(client, session, pending.peek(n), range, total, ctx, req.signal);
      if (res.status === 308) {
        const confirmed = confirmedBytes(res);
        pending.drop(Math.max(0, confirmed - offset));
        offset = Math.max(offset, confirmed);
        req.onProgress?.(offset, req.totalBytes ?? null);
        continue;
      }
      done = await finished(res, ctx, req.memory, resumedFrom);
      req.onProgress?.(offset + pending.bytes, req.totalBytes ?? null);
    }
  };

  try {
    for await (const piece of source) {
      let chunk = piece;
      if (skip > 0) {
        const n = Math.min(skip, chunk.length);
        skip -= n;
        chunk = chunk.subarray(n);
      }
      pending.push(chunk);
      if (pending.bytes >= chunkBytes) await flush(false);
      if (done) break;
    }
  } catch (err) {
    // The source stops with the signal too (its own AbortError): the same interruption.
    if (req.signal?.aborted && !(err instanceof InterruptedError)) throw interrupted(ctx);
    throw err;
  }
  if (skip > 0) {
    // The service holds more than the source now gives: these are not the bytes the session was made for.
    await req.memory?.forget();
    throw new ProviderError('gcs_upload_source_changed', `The data for ${ctx.action.replace(/^upload /, '')} is shorter than what an earlier run already sent; the file changed while it was being uploaded.`, {
      provider: 'vertex',
      retryable: true,
      hint: 'run the command again: it starts a new upload of the file as it is now',
    });
  }
  await flush(true);
  return done as UploadOutcome;
}

type Resumed = { kind: 'session'; session: string; offset: number } | { kind: 'complete'; outcome: UploadOutcome };

/**
 * Takes up the session an earlier run recorded: asks it what it has (an empty `PUT` with
 * `Content-Range: bytes *` over the total). `308` + `Range: bytes=0-N`: go on from N+1 (no Range:
 * from 0); 200/201: that run's upload is complete. A session the service no longer knows (404,
 * 410, or any other refusal) is forgotten and a new one started; an unanswered question is an
 * error that keeps the record for the next try.
 */
async function resumeSession(client: GcsClient, req: ResumableUploadRequest, ctx: GoogleContext): Promise<Resumed | undefined> {
  const memory = req.memory;
  const uri = await memory?.recall();
  if (!memory || !uri) return undefined;
  // Credentials go with the question, so only to the endpoint they are meant for.
  if (!sameOrigin(uri, client.endpoint)) {
    await memory.forget();
    return undefined;
  }
  const total = req.totalBytes === undefined ? '*' : String(req.totalBytes);
  const res = await client.send(ctx, req.signal, async () => client.fetch(uri, { method: 'PUT', headers: await client.headers({ 'content-range': `bytes */${total}` }), signal: req.signal, redirect: 'manual' }));
  if (res.status === 308) return { kind: 'session', session: uri, offset: confirmedBytes(res) };
  if (res.status === 200 || res.status === 201) {
    await memory.forget();
    return { kind: 'complete', outcome: { kind: 'uploaded', object: (await res.json()) as GcsObject, resumedFrom: req.totalBytes ?? 0 } };
  }
  const text = await res.text();
  if (retryableStatus(res.status)) throw googleHttpError(res.status, text, ctx, res.headers.get('x-guploader-uploadid'));
  await memory.forget();
  return undefined;
}

function sameOrigin(uri: string, endpoint: string): boolean {
  try {
    return new URL(uri).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}

async function startSession(client: GcsClient, req: ResumableUploadRequest, ctx: GoogleContext): Promise<string | 'exists'> {
  const query = new URLSearchParams({ uploadType: 'resumable', name: req.name });
  if (req.ifGenerationMatch !== undefined) query.set('ifGenerationMatch', String(req.ifGenerationMatch));
  const url = `${client.endpoint}/upload/storage/v1/b/${encodeURIComponent(req.bucket)}/o?${query}`;
  const contentType = req.contentType ?? 'application/jsonl';
  const extra: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-type': contentType };
  if (req.totalBytes !== undefined) extra['x-upload-content-length'] = String(req.totalBytes);
  const body = JSON.stringify({ name: req.name, contentType, ...(req.metadata ? { metadata: req.metadata } : {}) });
  const res = await client.send(ctx, req.signal, async () => client.fetch(url, { method: 'POST', headers: await client.headers(extra), body, signal: req.signal }));
  if (res.status === 412) return 'exists';
  const text = res.ok ? '' : await res.text();
  if (res.status === 404 && isMissingBucket(text)) throw missingBucket(req.bucket);
  if (!res.ok) throw googleHttpError(res.status, text, ctx, res.headers.get('x-guploader-uploadid'));
  const location = res.headers.get('location');
  if (!location) throw new ProviderError('gcs_no_upload_session', `Cloud Storage accepted the upload of gs://${req.bucket}/${req.name} but sent no session URI.`, { provider: 'vertex', status: res.status, retryable: true, hint: 'try again; if it persists, check a proxy between llmgw and Cloud Storage' });
  return location;
}

/**
 * One PUT to the session. A dropped connection or a 408/429/5xx is retried: first the session is
 * asked what it has (the caller then resends from there), so no byte is sent twice blindly.
 */
async function putWithRecovery(client: GcsClient, session: string, body: Buffer, range: string, total: string, ctx: GoogleContext, signal: AbortSignal | undefined): Promise<Response> {
  let failure: unknown;
  const attempt = async (request: () => Promise<Response>): Promise<Response | undefined> => {
    try {
      return await request();
    } catch (err) {
      if (signal?.aborted) throw interrupted(ctx);
      failure = err;
      return undefined;
    }
  };
  let res = await attempt(async () => client.fetch(session, { method: 'PUT', headers: await client.headers({ 'content-range': range }), body, signal, redirect: 'manual' }));
  for (let n = 0; ; n++) {
    if (res && !retryableStatus(res.status)) return res;
    if (n >= client.maxRetries) {
      if (res) return res;
      throw new ProviderError('gcs_upload_failed', `The connection to Cloud Storage kept failing while trying to ${ctx.action} (${describe(failure)}), even after ${n} retries.`, {
        provider: 'vertex',
        retryable: true,
        hint: 'check the network, then run the command again (an upload of the same data is never sent twice)',
      });
    }
    await res?.body?.cancel();
    await pause(backoffMs(n, res?.headers.get('retry-after')), signal);
    if (signal?.aborted) throw interrupted(ctx);
    // Ask what the service kept: a 308 (with its Range) sends the caller on from there, a 200/201 means the object is complete.
    res = await attempt(async () => client.fetch(session, { method: 'PUT', headers: await client.headers({ 'content-range': `bytes */${total}` }), signal, redirect: 'manual' }));
  }
}

/** The answer that ended the upload; a complete upload, or a session that is gone, clears the record. */
async function finished(res: Response, ctx: GoogleContext, memory: SessionMemory | undefined, resumedFrom: number): Promise<UploadOutcome> {
  if (res.status === 200 || res.status === 201) {
    const object = (await res.json()) as GcsObject;
    await memory?.forget();
    return { kind: 'uploaded', object, resumedFrom };
  }
  if (res.status === 412) {
    await memory?.forget();
    return { kind: 'exists' };
  }
  const text = await res.text();
  if (res.status === 404 || res.status === 410) {
    await memory?.forget();
    throw new ProviderError('gcs_upload_session_gone', `Cloud Storage no longer knows the upload session for ${ctx.action.replace(/^upload /, '')} (HTTP ${res.status}); sessions last a week and end when cancelled.`, {
      provider: 'vertex',
      status: res.status,
      retryable: true,
      hint: 'run the command again: it starts a new upload',
    });
  }
  throw googleHttpError(res.status, text, ctx);
}

function interrupted(ctx: GoogleContext): Error {
  return new InterruptedError('upload_interrupted', `Stopped during the ${ctx.action}; no job was created.`, { hint: 'run the command again: the upload goes on where it stopped, and nothing is created twice' });
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return 'no answer';
  const code = (err.cause as { code?: string } | undefined)?.code;
  return code ?? err.message;
}
