/**
 * The Vertex tuning lines of one chunk of an OpenAI (or Vertex) JSONL file: what `tune start`
 * uploads, made by the calling thread or a worker (core/parallel) for each chunk in turn. A line
 * already in Vertex's shape is kept as it is; plain chat lines take the fast path (fast.ts), the
 * rest the general conversion. Every line must parse: one that does not, or is too long, is a
 * check failure naming the file and line.
 */
import { CheckFailedError } from '../../../errors.js';
import type { LineChunk } from '../../../parallel/line-chunks.js';
import { writeFastGemini, type FastSink } from './fast.js';
import { geminiShape, toGemini } from './index.js';

export interface GeminiChunk {
  /** The converted lines, each ending in `\n` (a buffer of its own: a worker transfers it). */
  out: Buffer;
  /** Examples read (blank lines are not examples). */
  examples: number;
  /** Each distinct conversion note: how many examples it applied to, and the first one's line. */
  notes: { note: string; count: number; firstLine: number }[];
  /** Examples that cannot be converted: how many, and the first few as `line N: why`. */
  skipped: number;
  skippedFirst: string[];
}

/** Skipped examples named in full per chunk (the run names the first five of the file). */
const NAMED = 5;

export function geminiChunk(chunk: LineChunk, arg: { name: string }): GeminiChunk {
  if (chunk.tooLong !== undefined) throw tooLong(arg.name, chunk.firstLine);
  const raw = chunk.bytes;
  const result: GeminiChunk = { out: Buffer.alloc(0), examples: 0, notes: [], skipped: 0, skippedFirst: [] };
  const notes = new Map<string, { note: string; count: number; firstLine: number }>();
  let out = Buffer.allocUnsafeSlow(raw.length + (raw.length >> 3) + 1024);
  let size = 0;
  const ensure = (bytes: number): void => {
    if (size + bytes <= out.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(size + bytes, out.length * 2));
    out.copy(bigger, 0, 0, size);
    out = bigger;
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
  let line = chunk.firstLine;
  for (let start = 0; start < raw.length; line++) {
    let nl = raw.indexOf(0x0a, start);
    if (nl === -1) nl = raw.length;
    const buf = raw.subarray(start, nl);
    start = nl + 1;
    const text = buf.toString('utf8').trim();
    if (text === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw unreadable(arg.name, line, 'the line is not valid JSON');
    }
    result.examples++;
    if (writeFastGemini(value, buf, sink)) {
      ensure(1);
      out[size++] = 0x0a;
      continue;
    }
    const r = toGemini(value);
    for (const note of r.notes) {
      const seen = notes.get(note);
      if (seen) seen.count++;
      else notes.set(note, { note, count: 1, firstLine: line });
    }
    if ('skip' in r) {
      result.skipped++;
      if (result.skippedFirst.length < NAMED) result.skippedFirst.push(`line ${line}: ${r.skip}`);
      continue;
    }
    put(geminiShape(value).startsWith('gemini') ? text : JSON.stringify(r.line));
  }
  result.out = out.subarray(0, size);
  result.notes = [...notes.values()];
  return result;
}

function tooLong(path: string, line: number): CheckFailedError {
  return new CheckFailedError('line_too_long', `${path}:${line} is longer than llmgw reads in one line (8 MiB).`, { hint: 'shorten or split the example' });
}

function unreadable(path: string, line: number, why: string): CheckFailedError {
  return new CheckFailedError('invalid_json', `${path}:${line}: ${why}.`, { hint: 'fix the line (`llmgw dataset validate --target vertex` shows every problem)' });
}
