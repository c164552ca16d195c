/**
 * What one candidate's run collects, example by example (index = the example's place in the
 * run): every scorer's value, timings, tokens, and where each answer came from. Failed examples
 * hold NaN. Memory is a few numbers per example, plus the few worst examples kept for the report.
 */
import type { InferenceResponse } from '../inference/types.js';
import type { Candidate } from './candidates.js';
import type { EvalExample } from './dataset.js';

export interface WorstEntry {
  index: number;
  line: number;
  score: number;
  /** Why, from the scorers (e.g. "differs from the reference"). */
  details: string[];
}

export class CandidateRecord {
  readonly scores: Record<string, number[]> = {};
  /** Mean of the scorers' values per example. */
  readonly overall: number[] = [];
  readonly latencyMs: number[] = [];
  readonly ttftMs: number[] = [];
  readonly inputTokens: number[] = [];
  readonly outputTokens: number[] = [];
  /** Details kept for every example (the judge's verdicts), by scorer. */
  readonly details: Record<string, { line: number; detail: string }[]> = {};
  readonly worst: WorstEntry[] = [];
  fromCache = 0;
  sent = 0;
  /** Tokens of the answers sent in this run (what this run paid for). */
  sentTokens = { input: 0, output: 0 };
  failed = 0;
  readonly errors: { line: number; message: string }[] = [];

  constructor(
    readonly candidate: Candidate,
    readonly scorerNames: readonly string[],
    private readonly worstKept: number,
  ) {
    for (const s of scorerNames) this.scores[s] = [];
  }

  get attempts(): number {
    return this.fromCache + this.sent + this.failed;
  }

  ok(index: number, ex: EvalExample, answer: InferenceResponse, values: { name: string; value: number; detail?: string | undefined; keep?: boolean | undefined }[], cached: boolean): void {
    if (cached) this.fromCache++;
    else {
      this.sent++;
      this.sentTokens.input += answer.usage.inputTokens ?? 0;
      this.sentTokens.output += answer.usage.outputTokens ?? 0;
    }
    let sum = 0;
    for (const v of values) {
      (this.scores[v.name] as number[])[index] = v.value;
      sum += v.value;
      if (v.keep && v.detail !== undefined) (this.details[v.name] ??= []).push({ line: ex.line, detail: v.detail });
    }
    const overall = sum / values.length;
    this.overall[index] = overall;
    this.latencyMs[index] = answer.latencyMs;
    this.ttftMs[index] = answer.ttftMs ?? NaN;
    this.inputTokens[index] = answer.usage.inputTokens ?? NaN;
    this.outputTokens[index] = answer.usage.outputTokens ?? NaN;
    this.keepIfWorst({ index, line: ex.line, score: overall, details: values.filter((v) => v.detail && v.value < 1).map((v) => `${v.name}: ${v.detail}`) });
  }

  fail(index: number, ex: EvalExample, message: string): void {
    this.failed++;
    for (const s of this.scorerNames) (this.scores[s] as number[])[index] = NaN;
    this.overall[index] = NaN;
    this.latencyMs[index] = NaN;
    this.ttftMs[index] = NaN;
    this.inputTokens[index] = NaN;
    this.outputTokens[index] = NaN;
    if (this.errors.length < 5) this.errors.push({ line: ex.line, message });
  }

  /** Keeps the `worstKept` lowest scores (ties: the earlier line), sorted worst first. */
  private keepIfWorst(entry: WorstEntry): void {
    if (entry.score >= 1 || this.worstKept === 0) return;
    const w = this.worst;
    const after = (a: WorstEntry, b: WorstEntry) => a.score > b.score || (a.score === b.score && a.line > b.line);
    if (w.length >= this.worstKept && !after(w[w.length - 1] as WorstEntry, entry)) return;
    let i = w.length;
    while (i > 0 && after(w[i - 1] as WorstEntry, entry)) i--;
    w.splice(i, 0, entry);
    if (w.length > this.worstKept) w.pop();
  }
}
