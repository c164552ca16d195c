/**
 * The bytes `tune start` sends to Cloud Storage for a local training file. A file already in
 * Vertex's shape is sent as it is; a file of OpenAI chat examples or preference pairs is converted
 * line by line while it streams. The object is named by the SHA-256 of the bytes sent, so the
 * hash comes first: a first pass converts and hashes (nothing kept), the second converts again
 * into the upload. Both passes read the file in 1 MiB chunks; memory stays flat.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { CheckFailedError } from '../../errors.js';
import { inOrder } from '../../parallel/in-order.js';
import { LineChunkReader } from '../../parallel/line-chunks.js';
import { createChunkPool, defaultWorkers } from '../../parallel/pool.js';
import { geminiChunk, type GeminiChunk } from './format/chunk.js';

export interface PreparedData {
  /** `as-is`: every line is already a Vertex example; `converted`: OpenAI examples were converted. */
  kind: 'as-is' | 'converted';
  sha256: string;
  bytes: number;
  examples: number;
  /** Each distinct conversion note with how many examples it applied to and the first line. */
  notes: { note: string; count: number; firstLine: number }[];
}

/** Reads of 1 MiB: fewer, larger reads leave less time waiting on the disk, and a chunk is worth a worker's while. */
const READ_BYTES = 1024 * 1024;
const TASK = { module: 'providers/vertex/format/chunk.js', name: 'geminiChunk' } as const;

export interface ConvertOptions {
  signal?: AbortSignal | undefined;
  /** Worker threads that convert chunks beside this thread (default: from the file's size and the CPUs; 0: none). */
  threads?: number | undefined;
  /** Bytes read at a time (default 1 MiB; smaller in tests, to make many chunks of a small file). */
  chunkBytes?: number | undefined;
}

/**
 * The converted JSONL of `path`, a chunk of about 1 MiB at a time, in file order; `onChunk` gets
 * what each chunk's lines gave. Large files are converted by worker threads and this thread
 * together (each chunk is independent of the others).
 */
async function* convertedBytes(path: string, options: ConvertOptions, onChunk: (c: GeminiChunk) => void): AsyncGenerator<Buffer> {
  const reader = new LineChunkReader(path, { signal: options.signal, chunkBytes: options.chunkBytes ?? READ_BYTES });
  const threads = options.threads ?? defaultWorkers((await stat(path)).size);
  const pool = createChunkPool(threads, TASK);
  const arg = { name: path };
  try {
    for await (const c of inOrder(reader, pool, arg, (chunk) => geminiChunk(chunk, arg))) {
      onChunk(c);
      if (c.out.length > 0) yield c.out;
    }
  } finally {
    await pool?.close();
  }
}

/**
 * First pass: what would be sent, its hash and size. Every line must be a Vertex example or an
 * OpenAI example that converts; an example that cannot is a check failure naming its line and
 * why (nothing is uploaded), so no example is dropped silently.
 */
export async function prepareTrainingData(path: string, file: { sha256: string; bytes: number }, options: ConvertOptions = {}): Promise<PreparedData> {
  const hash = createHash('sha256');
  const notes = new Map<string, { note: string; count: number; firstLine: number }>();
  const skipped: string[] = [];
  let skippedCount = 0;
  let examples = 0;
  let bytes = 0;
  const onChunk = (c: GeminiChunk): void => {
    examples += c.examples;
    for (const n of c.notes) {
      const seen = notes.get(n.note);
      if (seen) seen.count += n.count;
      else notes.set(n.note, { ...n });
    }
    skippedCount += c.skipped;
    for (const s of c.skippedFirst) if (skipped.length < 5) skipped.push(s);
  };
  for await (const chunk of convertedBytes(path, options, onChunk)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  if (skippedCount > 0) {
    throw new CheckFailedError('vertex_conversion_failed', `${skippedCount} example(s) of ${path} cannot become Vertex tuning data, so nothing was uploaded:\n  ${skipped.join('\n  ')}${skippedCount > skipped.length ? `\n  … and ${skippedCount - skipped.length} more` : ''}`, {
      hint: 'fix or remove those examples (`llmgw dataset validate --target vertex` lists them all), then start again',
    });
  }
  const sha256 = hash.digest('hex');
  if (examples === 0) throw new CheckFailedError('vertex_no_examples', `${path} holds no examples.`, { hint: 'give a JSONL file with one example per line' });
  // A file of Vertex lines with LF endings comes out byte for byte.
  const kind = sha256 === file.sha256 && bytes === file.bytes ? 'as-is' : 'converted';
  return { kind, sha256, bytes, examples, notes: [...notes.values()] };
}

/** Second pass: the bytes to upload, the same as the first pass hashed. */
export function trainingBytes(path: string, options: ConvertOptions = {}): AsyncIterable<Buffer> {
  return convertedBytes(path, options, () => undefined);
}
