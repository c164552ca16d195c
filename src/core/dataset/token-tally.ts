/**
 * Token totals during validation: per-example counts (made by line-check.ts, in workers or not)
 * summed and kept in a Uint32Array (4 bytes per example) for the percentiles, and examples over
 * the model's limit reported.
 */
import type { BaseModel } from '../models/catalog.js';
import { billedExampleTokens } from '../models/pricing.js';
import type { EncodingName } from '../tokens/encodings.js';
import { CountCollector } from '../tokens/stats.js';
import { LONG_PIECE_CHARS } from '../tokens/text.js';
import { MAX_RESERVED } from './file-check.js';
import type { Issue, Loc } from './issues.js';
import { makeIssue } from './issues.js';

export interface TokenReport {
  encoding: EncodingName;
  /** Counts were made with `encoding` and scaled to the provider's tokens (no tokenizer for its model ships with llmgw): see `tokenizer`. */
  approximate: boolean;
  /** Provider tokens per `encoding` token when approximate, else null. */
  scale: number | null;
  /** How the counts were made when approximate, else null. */
  tokenizer: string | null;
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

/** Token totals of one file, fed line by line (in order) by FileCheck.merge. */
export class TokenTally {
  private readonly counts = new CountCollector();
  private total = 0;
  private trained = 0;
  private overLimit = 0;
  private billed = 0;
  private longPieces = 0;

  constructor(
    private readonly model: BaseModel,
    private readonly file: string,
    /** Receives example_too_long and long_unbroken_text issues. */
    private readonly report: (issue: Issue) => void,
  ) {}

  /** Room for about this many examples' counts, allocated once (capped like FileCheck's). */
  expectExamples(count: number): void {
    this.counts.reserve(Math.min(count, MAX_RESERVED));
  }

  /** One example's counts (see tokens/count.ts). */
  record(line: number, counted: number, countedTrained: number, longPieces: number): void {
    const limit = this.model.maxExampleTokens;
    const scale = this.model.tokenScale;
    const total = scale === undefined ? counted : Math.ceil(counted * scale);
    const trained = scale === undefined ? countedTrained : Math.ceil(countedTrained * scale);
    this.counts.push(total);
    this.total += total;
    this.trained += trained;
    this.billed += billedExampleTokens(this.model, total);
    const loc: Loc = { file: this.file, line };
    if (total > limit) {
      this.overLimit += 1;
    }
    if (total > limit && this.model.limitCheckedByProfile !== true) {
      const about = scale === undefined ? `${total.toLocaleString('en-US')} tokens` : `about ${total.toLocaleString('en-US')} tokens (approximate: ${counted.toLocaleString('en-US')} by ${this.model.encoding} × ${scale})`;
      this.report(makeIssue('example_too_long', loc, null, `the example has ${about}; ${this.model.id} trains on at most ${limit.toLocaleString('en-US')}, the rest is cut off`));
    }
    if (longPieces > 0) {
      this.longPieces += longPieces;
      this.report(makeIssue('long_unbroken_text', loc, null, `the example has ${longPieces} run${longPieces === 1 ? '' : 's'} of over ${LONG_PIECE_CHARS.toLocaleString('en-US')} characters without a break; its token count is an estimate`));
    }
  }

  finish(): TokenReport {
    const s = this.counts.summarize();
    return {
      encoding: this.model.encoding,
      approximate: this.model.tokenScale !== undefined,
      scale: this.model.tokenScale ?? null,
      tokenizer: this.model.tokenScale === undefined ? null : (this.model.tokenizer ?? `${this.model.encoding} × ${this.model.tokenScale}`),
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
}
