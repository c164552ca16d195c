/**
 * Token counting during validation: batches lines for the worker pool with bounded in-flight
 * work (awaited in submission order), collects per-example totals, and reports examples over the
 * model's limit. The counts are kept in a Uint32Array (4 bytes per example) for the percentiles.
 */
import type { BaseModel } from '../models/catalog.js';
import { billedExampleTokens } from '../models/pricing.js';
import type { LineCounts, LineInput } from '../tokens/batch.js';
import type { EncodingName } from '../tokens/encodings.js';
import type { TokenPool } from '../tokens/pool.js';
import { CountCollector } from '../tokens/stats.js';
import { LONG_PIECE_CHARS } from '../tokens/text.js';
import type { Issue, Loc } from './issues.js';
import { makeIssue } from './issues.js';
import type { DatasetKind } from './kinds.js';

/** About this much line text per batch sent to a worker. */
const BATCH_CHARS = 256 * 1024;

export interface TokenReport {
  encoding: EncodingName;
  /** Tokens over all examples (before truncation to the limit). */
  total: number;
  /** Tokens of the trained turns. */
  trained: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  max: number;
  /** The model's per-example limit. */
  limit: number;
  /** Examples over the limit (truncated by the provider). */
  overLimit: number;
  /** Σ min(tokens, limit): what one epoch bills. */
  billedPerEpoch: number;
  /** Runs of text too long to tokenise exactly (counted in chunks; see tokens/text.ts). */
  longPieces: number;
}

export class TokenTally {
  private batch: LineInput[] = [];
  private batchKind: DatasetKind = 'chat';
  private batchChars = 0;
  private readonly inFlight: Promise<LineCounts[]>[] = [];
  private readonly counts = new CountCollector();
  private total = 0;
  private trained = 0;
  private overLimit = 0;
  private billed = 0;
  private longPieces = 0;

  constructor(
    private readonly pool: TokenPool,
    private readonly model: BaseModel,
    private readonly file: string,
    /** Receives example_too_long and long_unbroken_text issues as results arrive. */
    private readonly report: (issue: Issue) => void,
  ) {}

  /**
   * Queues one example's text. Returns a promise only when a batch had to be sent and the pool
   * was full (await it before adding more); otherwise undefined, so most lines cost no await.
   */
  add(line: number, text: string, kind: DatasetKind): Promise<void> | undefined {
    if (kind !== this.batchKind && this.batch.length > 0) return this.flush().then(() => this.add(line, text, kind));
    this.batchKind = kind;
    this.batch.push({ line, text });
    this.batchChars += text.length;
    return this.batchChars >= BATCH_CHARS ? this.flush() : undefined;
  }

  /** Sends what is queued, then waits for every batch. */
  async finish(): Promise<TokenReport> {
    await this.flush();
    while (this.inFlight.length > 0) this.take(await (this.inFlight.shift() as Promise<LineCounts[]>));
    const s = this.counts.summarize();
    return {
      encoding: this.model.encoding,
      total: this.total,
      trained: this.trained,
      min: s.min,
      mean: Math.round(s.mean * 10) / 10,
      p50: s.p50,
      p95: s.p95,
      max: s.max,
      limit: this.model.maxExampleTokens,
      overLimit: this.overLimit,
      billedPerEpoch: this.billed,
      longPieces: this.longPieces,
    };
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    while (this.inFlight.length >= this.pool.capacity) this.take(await (this.inFlight.shift() as Promise<LineCounts[]>));
    const pending = this.pool.count(this.batchKind, this.model.encoding, this.batch);
    pending.catch(() => undefined); // awaited in order later; avoid an unhandled rejection meanwhile
    this.inFlight.push(pending);
    this.batch = [];
    this.batchChars = 0;
  }

  private take(results: LineCounts[]): void {
    const limit = this.model.maxExampleTokens;
    for (const r of results) {
      if (r.error !== undefined) continue;
      this.counts.push(r.total);
      this.total += r.total;
      this.trained += r.trained;
      this.billed += billedExampleTokens(this.model, r.total);
      const loc: Loc = { file: this.file, line: r.line };
      if (r.total > limit) {
        this.overLimit += 1;
        this.report(makeIssue('example_too_long', loc, null, `the example has ${r.total.toLocaleString('en-US')} tokens; ${this.model.id} trains on at most ${limit.toLocaleString('en-US')}, the rest is cut off`));
      }
      if (r.longPieces > 0) {
        this.longPieces += r.longPieces;
        this.report(makeIssue('long_unbroken_text', loc, null, `the example has ${r.longPieces} run${r.longPieces === 1 ? '' : 's'} of over ${LONG_PIECE_CHARS.toLocaleString('en-US')} characters without a break; its token count is an estimate`));
      }
    }
  }
}
