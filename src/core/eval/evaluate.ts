/**
 * `llmgw eval` as one function: scan the data, check the cost of what is not cached against
 * `--max-cost` before anything is sent, run, and build the report. The caller opens the cache and
 * builds the clients and scorers (the judge asks through the same cache).
 */
import { CheckFailedError } from '../errors.js';
import type { ResponseCache } from './cache.js';
import type { Candidate } from './candidates.js';
import { estimateCost, type JudgeCost } from './estimate.js';
import type { Limiter } from './limiter.js';
import { requestCost } from './prices.js';
import { candidateReport, comparisons, REPORT_SCHEMA_VERSION, type EvalReport } from './report.js';
import { runEval, type Progress, type RequestOptions } from './run.js';
import { sampledExamples, scanData, type Scan } from './sample.js';
import type { Scorer } from './scorers/index.js';
import { worstExamples } from './worst.js';

export interface JudgeInfo {
  candidate: Candidate;
  rubric: string;
  prompt: string;
  scale: string;
  /** Tokens the judge used in this run (filled in while it runs). */
  tokens: { input: number; output: number };
  systemTokens: number;
}

export interface EvaluateInput {
  dataPath: string;
  /** The data path as the user sees it. */
  dataName: string;
  candidates: readonly Candidate[];
  scorers: readonly Scorer[];
  cache: ResponseCache;
  limiterFor(provider: string): Limiter;
  limit?: number | undefined;
  seed?: number | undefined;
  request?: RequestOptions | undefined;
  maxCostUsd?: number | undefined;
  judge?: JudgeInfo | undefined;
  signal?: AbortSignal | undefined;
  onScan?: ((scan: Scan) => void) | undefined;
  onEstimate?: ((usd: number, uncached: number) => void) | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
  now(): number;
}

const usd = (x: number): string => `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;

export async function evaluate(input: EvaluateInput): Promise<EvalReport> {
  const scan = await scanData(input.dataPath, { limit: input.limit, seed: input.seed, signal: input.signal });
  input.onScan?.(scan);
  const req = input.request ?? {};
  let estimatedUsd: number | null = null;
  if (input.maxCostUsd !== undefined) {
    const judge: JudgeCost | undefined = input.judge && { name: input.judge.candidate.name, price: input.judge.candidate.price, systemTokens: input.judge.systemTokens };
    const est = await estimateCost(sampledExamples(input.dataPath, scan, input.signal), input.candidates, input.cache, req, judge);
    estimatedUsd = est.usd;
    input.onEstimate?.(est.usd, est.uncached);
    if (est.unpriced.length > 0) {
      throw new CheckFailedError('cost_unknown', `--max-cost was given, but llmgw has no price for ${est.unpriced.join(', ')}, so it cannot bound the cost of the ${est.uncached} requests to send.`, {
        hint: `give a price with --price NAME=IN,OUT (USD per 1M input,output tokens), e.g. --price ${est.unpriced[0]}=0.8,3.2`,
      });
    }
    if (est.usd > input.maxCostUsd) {
      throw new CheckFailedError('cost_over_limit', `The ${est.uncached} requests not in the cache would cost about ${usd(est.usd)}, above --max-cost ${usd(input.maxCostUsd)}. Nothing was sent.`, {
        hint: 'raise --max-cost, run fewer examples with --limit N --seed S, or drop a candidate',
      });
    }
  }
  const seed = input.seed ?? 0;
  const out = await runEval({
    examples: sampledExamples(input.dataPath, scan, input.signal),
    total: scan.total,
    candidates: input.candidates,
    scorers: input.scorers,
    cache: input.cache,
    limiterFor: input.limiterFor,
    request: req,
    signal: input.signal,
    onProgress: input.onProgress,
  });
  const candidates = out.records.map((r) => candidateReport(r, seed));
  let spent: number | null = 0;
  for (const r of out.records) {
    const p = r.candidate.price;
    if (r.sent > 0) spent = p && spent !== null ? spent + requestCost(p, r.sentTokens.input, r.sentTokens.output) : null;
  }
  const j = input.judge;
  if (j && spent !== null && j.tokens.input + j.tokens.output > 0) spent = j.candidate.price ? spent + requestCost(j.candidate.price, j.tokens.input, j.tokens.output) : null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: new Date(input.now()).toISOString(),
    data: { path: input.dataName, sha256: scan.sha256, examples: scan.total, usable: scan.usable, sample: scan.sample, skipped: scan.skippedCount, skippedLines: scan.skipped },
    scorers: input.scorers.map((s) => ({ name: s.name, measures: s.measures, cannot: s.cannot })),
    method: {
      score: input.scorers.length > 1 ? `mean of ${input.scorers.map((s) => s.name).join(', ')} per example` : `${input.scorers[0]?.name ?? ''} per example`,
      interval: '95% Wilson score interval for pass/fail scores, else a 2000-resample percentile bootstrap',
      pairedTest: 'exact two-sided sign test on wins vs losses (exact McNemar for pass/fail), paired bootstrap interval of the mean difference',
      bootstrapSeed: seed,
    },
    candidates,
    comparisons: comparisons(out.records, seed),
    judge: j ? { model: j.candidate.name, rubric: j.rubric, prompt: j.prompt, scale: j.scale, tokens: j.tokens } : null,
    worst: await worstExamples(input.dataPath, out.lines, out.records, input.cache, req),
    cost: { estimatedUsd, maxUsd: input.maxCostUsd ?? null, spentUsd: spent },
  };
}
