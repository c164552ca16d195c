/**
 * The bytes `tune start` sends to Cloud Storage for a local training file. A file already in
 * Vertex's shape is sent as it is; a file of OpenAI chat examples or preference pairs is converted
 * line by line while it streams. The object is named by the SHA-256 of the bytes sent, so the
 * hash comes first: a first pass converts and hashes (nothing kept), the second converts again
 * into the upload. Both passes read the file in 256 KiB pieces; memory stays flat.
 */
import { createHash } from 'node:crypto';
import { CheckFailedError } from '../../errors.js';
import { readLineSlices } from '../../dataset/lines.js';
import { writeFastGemini, type FastSink } from './format/fast.js';
import { geminiShape, toGemini } from './format/index.js';

export interface PreparedData {
  /** `as-is`: every line is already a Vertex example; `converted`: OpenAI examples were converted. */
  kind: 'as-is' | 'converted';
  sha256: string;
  bytes: number;
  examples: number;
  /** Each distinct conversion note with how many examples it applied to and the first line. */
  notes: { note: string; count: number; firstLine: number }[];
}

const OUT_BATCH = 256 * 1024;
/** Reads of 1 MiB: the file streams into the upload, and fewer, larger reads leave less time waiting on the disk. */
const READ_BYTES = 1024 * 1024;

/** Converted JSONL of `path`, in pieces of about 256 KiB; calls `onLine` for what each line gave. */
async function* convertedBytes(path: string, signal: AbortSignal | undefined, onLine: (line: number, r: ReturnType<typeof toGemini>) => void): AsyncGenerator<Buffer> {
  let out: Buffer = Buffer.allocUnsafe(OUT_BATCH * 2);
  let size = 0;
  const ensure = (bytes: number): void => {
    if (size + bytes > out.length) out = grow(out, size, size + bytes);
  };
  const put = (json: string): void => {
    ensure(Buffer.byteLength(json) + 1);
    size += out.write(json, size);
    out[size++] = 0x0a;
  };
  // The fast path writes into `out` directly (a UTF-16 code unit is at most 3 UTF-8 bytes).
  const sink: FastSink = {
    ascii: (fragment) => {
      ensure(fragment.length);
      out.set(fragment, size);
      size += fragment.length;
    },
    json: (s) => {
      const json = JSON.stringify(s);
      ensure(json.length * 3);
      size += out.write(json, size);
    },
    copy: (source, start, end) => {
      ensure(end - start);
      size += source.copy(out, size, start, end);
    },
  };
  for await (const batch of readLineSlices(path, { signal, chunkBytes: READ_BYTES })) {
    for (const slice of batch.lines) {
      if (slice.buf === null) throw tooLong(path, slice.line);
      const text = slice.buf.toString('utf8').trim();
      if (text === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw unreadable(path, slice.line, 'the line is not valid JSON');
      }
      if (writeFastGemini(value, slice.buf, sink)) {
        onLine(slice.line, PLAIN);
        ensure(1);
        out[size++] = 0x0a;
      } else {
        const r = toGemini(value);
        onLine(slice.line, r);
        if ('line' in r) put(geminiShape(value).startsWith('gemini') ? text : JSON.stringify(r.line));
      }
      if (size >= OUT_BATCH) {
        // The consumer may hold this piece (an upload keeps it until confirmed): a new buffer follows.
        yield out.subarray(0, size);
        out = Buffer.allocUnsafe(OUT_BATCH * 2);
        size = 0;
      }
    }
  }
  if (size > 0) yield out.subarray(0, size);
}

/** What the fast path reports for a line: converted, nothing dropped. */
const PLAIN = { line: { contents: [] }, notes: [] } as const satisfies ReturnType<typeof toGemini>;

function grow(buf: Buffer, used: number, need: number): Buffer {
  // One line longer than the batch: room for it.
  const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * First pass: what would be sent, its hash and size. Every line must be a Vertex example or an
 * OpenAI example that converts; an example that cannot is a check failure naming its line and
 * why (nothing is uploaded), so no example is dropped silently.
 */
export async function prepareTrainingData(path: string, file: { sha256: string; bytes: number }, signal?: AbortSignal): Promise<PreparedData> {
  const hash = createHash('sha256');
  const notes = new Map<string, { note: string; count: number; firstLine: number }>();
  const skipped: string[] = [];
  let skippedCount = 0;
  let examples = 0;
  let bytes = 0;
  const onLine = (line: number, r: ReturnType<typeof toGemini>): void => {
    examples += 1;
    for (const note of r.notes) {
      const seen = notes.get(note);
      if (seen) seen.count += 1;
      else notes.set(note, { note, count: 1, firstLine: line });
    }
    if ('skip' in r) {
      skippedCount += 1;
      if (skipped.length < 5) skipped.push(`line ${line}: ${r.skip}`);
    }
  };
  for await (const chunk of convertedBytes(path, signal, onLine)) {
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
export function trainingBytes(path: string, signal?: AbortSignal): AsyncIterable<Buffer> {
  return convertedBytes(path, signal, () => undefined);
}

function tooLong(path: string, line: number): CheckFailedError {
  return new CheckFailedError('line_too_long', `${path}:${line} is longer than llmgw reads in one line (8 MiB).`, { hint: 'shorten or split the example' });
}

function unreadable(path: string, line: number, why: string): CheckFailedError {
  return new CheckFailedError('invalid_json', `${path}:${line}: ${why}.`, { hint: 'fix the line (`llmgw dataset validate --target vertex` shows every problem)' });
}
