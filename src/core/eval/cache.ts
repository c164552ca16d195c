/**
 * Answers already paid for, by (endpoint, model, request) hash, in one append-only JSONL file in
 * `.llmgw/`. Every answer is appended the moment it arrives, so an interrupted eval keeps what it
 * got and the same command resumes; a re-run, or one with a candidate added, sends only what is
 * new. Only byte offsets are kept in memory; answers are read back when asked for. A line cut
 * short by a crash is skipped.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readLines } from '../dataset/lines.js';
import type { InferenceRequest, InferenceResponse } from '../inference/types.js';

/** JSON with object keys sorted at every level, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
  });
}

export function requestKey(endpoint: string, model: string, request: InferenceRequest): string {
  return createHash('sha256').update(canonicalJson({ endpoint, model, request })).digest('hex');
}

const PREFIX = '{"k":"';
const KEY_LEN = 64;

export class ResponseCache {
  private readonly index = new Map<string, { offset: number; bytes: number }>();
  private size = 0;
  private needsNewline = false;
  private writer: FileHandle | undefined;
  /** Opened once, on the first read (a promise, so concurrent first reads share it). */
  private reader: Promise<FileHandle> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string) {}

  static async open(path: string): Promise<ResponseCache> {
    const cache = new ResponseCache(path);
    await mkdir(dirname(path), { recursive: true });
    const exists = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    if (exists > 0) await cache.load(exists);
    return cache;
  }

  private async load(size: number): Promise<void> {
    let lastEnd = 0;
    for await (const line of readLines(this.path)) {
      lastEnd = line.offset + line.bytes + 1;
      const t = line.text;
      if (t === null || !t.startsWith(PREFIX) || !t.endsWith('}') || t.length < PREFIX.length + KEY_LEN + 2) continue;
      this.index.set(t.slice(PREFIX.length, PREFIX.length + KEY_LEN), { offset: line.offset, bytes: line.bytes });
    }
    this.size = size;
    // A crash mid-write leaves a line without its newline: start the next entry on a line of its own.
    this.needsNewline = lastEnd > size;
  }

  get entries(): number {
    return this.index.size;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  async get(key: string): Promise<InferenceResponse | undefined> {
    const at = this.index.get(key);
    if (!at) return undefined;
    this.reader ??= open(this.path, 'r');
    const buf = Buffer.alloc(at.bytes);
    await (await this.reader).read(buf, 0, at.bytes, at.offset);
    try {
      return (JSON.parse(buf.toString('utf8')) as { v: InferenceResponse }).v;
    } catch {
      this.index.delete(key);
      return undefined;
    }
  }

  /** Appends one answer; writes are queued so lines never interleave. */
  put(key: string, response: InferenceResponse): Promise<void> {
    const run = async (): Promise<void> => {
      this.writer ??= await open(this.path, 'a');
      const lead = this.needsNewline ? '\n' : '';
      const body = JSON.stringify({ k: key, v: response });
      const line = Buffer.from(`${lead}${body}\n`, 'utf8');
      await this.writer.write(line);
      const offset = this.size + lead.length;
      this.index.set(key, { offset, bytes: line.length - lead.length - 1 });
      this.size += line.length;
      this.needsNewline = false;
    };
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.writer?.close();
    await (await this.reader)?.close();
    this.writer = undefined;
    this.reader = undefined;
  }
}
