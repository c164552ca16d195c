/**
 * Uploading a training file. Up to the single-upload limit: one `POST /files`. Above it: the
 * Uploads API, the file cut into parts sent a few at a time, then completed with the part ids in
 * file order. Both paths hand the SDK a FormData (which it can send again when it retries) whose
 * bytes `diskFormFetch` streams from disk on each attempt, so memory stays flat.
 */
import { setMaxListeners } from 'node:events';
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type OpenAI from 'openai';
import type { UploadedFile, UploadRequest } from '../types.js';
import { diskFormFetch, type ByteCounter } from './disk-form.js';
import { toUploadedFile } from './mapping.js';

export interface UploadPlan {
  maxSingleUploadBytes: number;
  partBytes: number;
  concurrency: number;
  /** The fetch the caller injected, if any (uploads otherwise go through node:http; see disk-form.ts). */
  fetch: typeof fetch | undefined;
}

const MIME = 'text/jsonl';

export async function uploadTrainingFile(client: OpenAI, req: UploadRequest, plan: UploadPlan): Promise<UploadedFile> {
  const filename = req.filename ?? basename(req.path);
  const blob = await openAsBlob(req.path, { type: MIME });
  const progress = progressReporter(blob.size, req.onProgress);
  progress.report();
  const result =
    blob.size <= plan.maxSingleUploadBytes
      ? await uploadSingle(client, blob, req, filename, progress.counter(0), plan)
      : await uploadInParts(client, blob, filename, req, progress, plan);
  progress.done();
  return result;
}

async function uploadSingle(client: OpenAI, blob: Blob, req: UploadRequest, filename: string, count: ByteCounter, plan: UploadPlan): Promise<UploadedFile> {
  const streaming = client.withOptions({ fetch: diskFormFetch(plan.fetch, { path: req.path, start: 0, end: blob.size }, count) });
  const file = await streaming.files.create({ file: new File([blob], filename, { type: MIME }), purpose: 'fine-tune' }, { signal: req.signal });
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
      const end = Math.min(start + plan.partBytes, blob.size);
      const part = new File([blob.slice(start, end)], `${filename}.part${i}`);
      const streaming = client.withOptions({ fetch: diskFormFetch(plan.fetch, { path: req.path, start, end }, progress.counter(i)) });
      const created = await streaming.uploads.parts.create(upload.id, { data: part }, { signal });
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
