/**
 * Uploading a training file. Up to the single-upload limit: one `POST /files`. Above it: the
 * Uploads API, the file cut into parts sent a few at a time, then completed with the part ids in
 * file order. Both paths send a file-backed Blob (`fs.openAsBlob`): it streams from disk, so
 * memory stays flat, and unlike a read stream the SDK can send it again when it retries.
 */
import { setMaxListeners } from 'node:events';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type OpenAI from 'openai';
import type { UploadedFile, UploadRequest } from '../types.js';
import { toUploadedFile } from './mapping.js';

export interface UploadPlan {
  maxSingleUploadBytes: number;
  partBytes: number;
  concurrency: number;
  /** The raw fetch the client uses; progress is counted around it. */
  fetch: typeof fetch;
}

const MIME = 'text/jsonl';

export async function uploadTrainingFile(client: OpenAI, req: UploadRequest, plan: UploadPlan): Promise<UploadedFile> {
  const filename = req.filename ?? basename(req.path);
  const blob = await openAsBlob(req.path, { type: MIME });
  const progress = progressReporter(blob.size, req.onProgress);
  progress.report();
  const result =
    blob.size <= plan.maxSingleUploadBytes
      ? await uploadSingle(client, blob, filename, req.signal, progress.counter(0), plan)
      : await uploadInParts(client, blob, filename, req, progress, plan);
  progress.done();
  return result;
}

async function uploadSingle(client: OpenAI, blob: Blob, filename: string, signal: AbortSignal | undefined, count: ByteCounter, plan: UploadPlan): Promise<UploadedFile> {
  const counted = client.withOptions({ fetch: countingFetch(plan.fetch, count) });
  const file = await counted.files.create({ file: new File([blob], filename, { type: MIME }), purpose: 'fine-tune' }, { signal });
  return toUploadedFile(file);
}

async function uploadInParts(client: OpenAI, blob: Blob, filename: string, req: UploadRequest, progress: ProgressReporter, plan: UploadPlan): Promise<UploadedFile> {
  const upload = await client.uploads.create({ bytes: blob.size, filename, mime_type: MIME, purpose: 'fine-tune' }, { signal: req.signal });
  const abort = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, abort.signal]) : abort.signal;
  // Every part request listens on it; an 8 GB file has 128 parts.
  setMaxListeners(0, signal);
  const partCount = Math.ceil(blob.size / plan.partBytes);
  const partIds = new Array<string>(partCount);
  try {
    await runPool(partCount, plan.concurrency, async (i) => {
      const start = i * plan.partBytes;
      const part = new File([blob.slice(start, Math.min(start + plan.partBytes, blob.size))], `${filename}.part${i}`);
      const counted = client.withOptions({ fetch: countingFetch(plan.fetch, progress.counter(i)) });
      const created = await counted.uploads.parts.create(upload.id, { data: part }, { signal });
      partIds[i] = created.id;
    });
    // No md5: it is optional, and would cost a second full read of the file; OpenAI checks the byte total.
    const done = await client.uploads.complete(upload.id, { part_ids: partIds }, { signal: req.signal });
    if (!done.file) throw new Error(`upload ${upload.id} completed without a file`);
    return toUploadedFile(done.file);
  } catch (err) {
    abort.abort();
    // Best effort: an abandoned upload expires after an hour anyway.
    await client.uploads.cancel(upload.id, { maxRetries: 0 }).catch(() => undefined);
    throw err;
  }
}

/** Runs `task(0..n-1)` with at most `limit` running at once; the first failure stops new tasks and is thrown. */
async function runPool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < n) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
}

type ByteCounter = (sentSoFar: number) => void;

interface ProgressReporter {
  counter(slot: number): ByteCounter;
  report(): void;
  done(): void;
}

/** Sums bytes sent per part (a retried part starts again from 0) and reports the total, capped at the file size. */
function progressReporter(total: number, onProgress: UploadRequest['onProgress']): ProgressReporter {
  const sent = new Map<number, number>();
  const report = (): void => {
    let sum = 0;
    for (const v of sent.values()) sum += v;
    onProgress?.({ sentBytes: Math.min(sum, total), totalBytes: total });
  };
  return {
    counter: (slot) => (n) => {
      sent.set(slot, n);
      report();
    },
    report,
    done: () => onProgress?.({ sentBytes: total, totalBytes: total }),
  };
}

/**
 * A fetch that encodes a multipart body itself so it can count the bytes as they are sent. Each
 * attempt (the SDK's retries call fetch again) encodes afresh from the same FormData.
 */
function countingFetch(inner: typeof fetch, count: ByteCounter): typeof fetch {
  return (input, init) => {
    if (!(init?.body instanceof FormData)) return inner(input, init);
    const encoded = new Response(init.body);
    const headers = new Headers(init.headers);
    headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
    let sent = 0;
    const body = encoded.body?.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, ctl) {
          sent += chunk.byteLength;
          count(sent);
          ctl.enqueue(chunk);
        },
      }),
    );
    return inner(input, { ...init, headers, body, duplex: 'half' } as RequestInit);
  };
}
