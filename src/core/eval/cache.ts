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
  /** Answers waiting for the next write, and the write loop while one runs. */
  private pending: { key: string; line: Buffer; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;

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

  /**
   * Appends one answer. Answers that arrive while a write is under way go out together in the
   * next one (one writev for many lines: a write per answer was a sixth of a fast eval's time),
   * so each is on disk as soon as the write before it finished, and lines never interleave.
   */
  put(key: string, response: InferenceResponse): Promise<void> {
    const line = Buffer.from(`${JSON.stringify({ k: key, v: response })}\n`, 'utf8');
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ key, line, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        this.writer ??= await open(this.path, 'a');
        const lead = this.needsNewline ? 1 : 0;
        const buffers = batch.map((b) => b.line);
        if (lead) buffers.unshift(Buffer.from('\n'));
        const total = buffers.reduce((n, b) => n + b.length, 0);
        const { bytesWritten } = await this.writer.writev(buffers);
        // A short write (rare on a file) finishes with the rest, still in order.
        if (bytesWritten < total) {
          const rest = Buffer.concat(buffers).subarray(bytesWritten);
          for (let at = 0; at < rest.length; ) at += (await this.writer.write(rest, at)).bytesWritten;
        }
        let offset = this.size + lead;
        for (const b of batch) {
          this.index.set(b.key, { offset, bytes: b.line.length - 1 });
          offset += b.line.length;
        }
        this.size = offset;
        this.needsNewline = false;
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.writing = undefined;
  }

  async close(): Promise<void> {
    await this.writing;
    await this.writer?.close();
    await (await this.reader)?.close();
    this.writer = undefined;
    this.reader = undefined;
  }
}
