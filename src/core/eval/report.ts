/**
 * The eval report: every figure of `llmgw eval --json` (docs/commands/eval.md documents the
 * shape). Built from the run's records; pure apart from reading the worst examples' answers back
 * from the cache.
 */
import type { CandidateRecord } from './record.js';
import type { ScorerInfo } from './scorers/index.js';
import { comparePaired, quantileSorted, scoreInterval, verdict, type Interval } from './stats.js';
import { requestCost } from './prices.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Percentiles {
  p50: number | null;
  p95: number | null;
  /** Answers the figures come from (streamed answers only, for time to first token). */
  n: number;
  /** The distribution for charts: min, p25, p50, p75, p95, max (null when no answer). */
  box: [number, number, number, number, number, number] | null;
}

export interface CandidateReport {
  name: string;
  provider: string;
  model: string;
  source: 'alias' | 'model' | 'provider';
  alias: string | null;
  role: string | null;
  /** The registered model, when the candidate is one. */
  modelId: string | null;
  requests: { total: number; fromCache: number; sent: number; failed: number; errors: { line: number; message: string }[] };
  /** Mean of the scorers' values per example, with its 95 % interval. */
  score: IntervalJson;
  scores: Record<string, IntervalJson>;
  latencyMs: { total: Percentiles; ttft: Percentiles };
  tokens: { input: number; output: number; meanInput: number | null; meanOutput: number | null; reported: number };
  cost: { per1000RequestsUsd: number | null; inputPerMillion: number | null; outputPerMillion: number | null; priceOrigin: string | null; priceSource: string | null; priceDate: string | null };
  /** The judge's verdict on every example, when a judge scored. */
  verdicts: { line: number; detail: string }[] | null;
}

export interface IntervalJson {
  mean: number | null;
  ci95: [number | null, number | null];
  method: Interval['method'];
  n: number;
}

export interface ComparisonReport {
  a: string;
  b: string;
  /** Examples both answered. */
  n: number;
  wins: number;
  ties: number;
  losses: number;
  delta: { mean: number | null; ci95: [number | null, number | null] };
  pValue: number | null;
  test: string;
  /** `a` or `b` when that side is better (the delta's interval excludes 0 and p < 0.05), else `none`. */
  better: 'a' | 'b' | 'none';
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function interval(xs: number[], seed: number): IntervalJson {
  const ok = xs.filter(Number.isFinite);
  if (ok.length === 0) return { mean: null, ci95: [null, null], method: 'wilson', n: 0 };
  const i = scoreInterval(ok, seed);
  return { mean: finite(i.mean), ci95: [finite(i.ci95[0]), finite(i.ci95[1])], method: i.method, n: i.n };
}

function percentiles(xs: number[]): Percentiles {
  const ok = xs.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number): number => quantileSorted(ok, p);
  return { p50: ok.length ? q(0.5) : null, p95: ok.length ? q(0.95) : null, n: ok.length, box: ok.length ? [q(0), q(0.25), q(0.5), q(0.75), q(0.95), q(1)] : null };
}

function sum(xs: number[]): { total: number; n: number } {
  let total = 0;
  let n = 0;
  for (const x of xs) {
    if (Number.isFinite(x)) {
      total += x;
      n++;
    }
  }
  return { total, n };
}

export function candidateReport(rec: CandidateRecord, seed: number): CandidateReport {
  const c = rec.candidate;
  const input = sum(rec.inputTokens);
  const output = sum(rec.outputTokens);
  const reported = Math.min(input.n, output.n);
  const meanInput = input.n ? input.total / input.n : null;
  const meanOutput = output.n ? output.total / output.n : null;
  const per1000 = c.price && meanInput !== null && meanOutput !== null ? requestCost(c.price, meanInput, meanOutput) * 1000 : null;
  const verdicts = Object.values(rec.details)[0] ?? null;
  return {
    name: c.name,
    provider: c.provider,
    model: c.model,
    source: c.source,
    alias: c.alias ?? null,
    role: c.role ?? null,
    modelId: c.modelId ?? null,
    requests: { total: rec.attempts, fromCache: rec.fromCache, sent: rec.sent, failed: rec.failed, errors: rec.errors },
    score: interval(rec.overall, seed),
    scores: Object.fromEntries(Object.entries(rec.scores).map(([name, xs]) => [name, interval(xs, seed)])),
    latencyMs: { total: percentiles(rec.latencyMs), ttft: percentiles(rec.ttftMs) },
    tokens: { input: input.total, output: output.total, meanInput, meanOutput, reported },
    cost: {
      per1000RequestsUsd: per1000,
      inputPerMillion: c.price?.inputPerMillion ?? null,
      outputPerMillion: c.price?.outputPerMillion ?? null,
      priceOrigin: c.price?.origin ?? null,
      priceSource: c.price?.source ?? null,
      priceDate: c.price?.date ?? null,
    },
    verdicts,
  };
}

/** Every pair (in candidate order) on the examples both answered. */
export function comparisons(records: readonly CandidateRecord[], seed: number): ComparisonReport[] {
  const out: ComparisonReport[] = [];
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i] as CandidateRecord;
      const b = records[j] as CandidateRecord;
      const xa: number[] = [];
      const xb: number[] = [];
      a.overall.forEach((x, k) => {
        const y = b.overall[k];
        if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) {
          xa.push(x);
          xb.push(y);
        }
      });
      const binary = [...xa, ...xb].every((x) => x === 0 || x === 1);
      const test = binary ? 'exact McNemar (sign test on discordant pairs)' : 'exact sign test on wins vs losses';
      if (xa.length === 0) {
        out.push({ a: a.candidate.name, b: b.candidate.name, n: 0, wins: 0, ties: 0, losses: 0, delta: { mean: null, ci95: [null, null] }, pValue: null, test, better: 'none' });
        continue;
      }
      const c = comparePaired(xa, xb, seed);
      out.push({
        a: a.candidate.name,
        b: b.candidate.name,
        n: c.n,
        wins: c.wins,
        ties: c.ties,
        losses: c.losses,
        delta: { mean: finite(c.delta.mean), ci95: [finite(c.delta.ci95[0]), finite(c.delta.ci95[1])] },
        pValue: c.pValue,
        test,
        better: verdict(c),
      });
    }
  }
  return out;
}

export interface WorstExample {
  line: number;
  /** The last prompt turn's text (shortened), and the reference. */
  prompt: string;
  reference: string;
  /** Each candidate's answer on this example, by candidate name; null when it failed. */
  answers: Record<string, { text: string; score: number | null } | null>;
}

export interface EvalReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  createdAt: string;
  data: { path: string; sha256: string; examples: number; usable: number; sample: string; skipped: number; skippedLines: { line: number; reason: string }[] };
  scorers: ScorerInfo[];
  /** The primary score (the mean of the scorers per example) and how intervals and tests were computed. */
  method: { score: string; interval: string; pairedTest: string; bootstrapSeed: number };
  candidates: CandidateReport[];
  comparisons: ComparisonReport[];
  judge: { model: string; rubric: string; prompt: string; scale: string; tokens: { input: number; output: number } } | null;
  /** Per candidate, its worst examples with every candidate's answer beside it. */
  worst: Record<string, WorstExample[]>;
  /** Estimated before the run (--max-cost), and spent on what was sent in this run. */
  cost: { estimatedUsd: number | null; maxUsd: number | null; spentUsd: number | null };
}
