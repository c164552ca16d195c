/**
 * The promotion gate: `score>=0.85,delta>=0,p95<=2s` checked against the candidate model's latest
 * eval on the alias's data before `models promote` moves traffic to it.
 * - The alias's data is the data of the stable target's latest eval (the model being replaced);
 *   with no stable eval, the candidate's latest eval is taken and `delta` cannot be checked.
 * - Metrics: `score` (mean), `low`/`high` (its 95 % interval), `delta` (candidate minus stable on
 *   the same data and scorer: the paired difference when both ran together, else the difference
 *   of the two scores), `delta.low` (the paired interval's low end), `p50`/`p95` (latency; a
 *   value takes `ms` or `s`), `examples`.
 */
import { CheckFailedError, UsageError } from '../errors.js';
import type { Manifest } from '../manifest/schema.js';
import type { EvalSummary } from '../manifest/schema-model.js';

export type GateMetric = 'score' | 'low' | 'high' | 'delta' | 'delta.low' | 'p50' | 'p95' | 'examples';
const METRICS: readonly GateMetric[] = ['score', 'low', 'high', 'delta', 'delta.low', 'p50', 'p95', 'examples'];
type Op = '>=' | '>' | '<=' | '<' | '=';

export interface GateCondition {
  text: string;
  metric: GateMetric;
  op: Op;
  value: number;
}

export function parseGate(expr: string): GateCondition[] {
  const parts = expr.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw badGate(expr, 'it is empty');
  return parts.map((text) => {
    const m = /^([a-z0-9.]+)\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(text);
    if (!m) throw badGate(expr, `"${text}" is not METRIC OP NUMBER`);
    const metric = (m[1] ?? '').toLowerCase() as GateMetric;
    if (!METRICS.includes(metric)) throw badGate(expr, `"${m[1]}" is not a metric (use ${METRICS.join(', ')})`);
    const unit = m[4]?.toLowerCase();
    const latency = metric === 'p50' || metric === 'p95';
    if (unit && !latency) throw badGate(expr, `"${text}": only p50 and p95 take a unit`);
    const value = Number(m[3]) * (unit === 's' ? 1000 : 1);
    return { text, metric, op: m[2] as Op, value };
  });
}

function badGate(expr: string, why: string): UsageError {
  return new UsageError('invalid_gate', `The gate "${expr}" does not parse: ${why}.`, { hint: 'write comma-separated conditions such as score>=0.85,delta>=0,p95<=2s (metrics: score, low, high, delta, delta.low, p50, p95, examples)' });
}

export interface ConditionResult {
  text: string;
  ok: boolean;
  /** The figure compared, or null when there is none (then the condition fails). */
  actual: number | null;
  /** Why it failed, or the figures behind it. */
  detail: string;
}

export interface GateResult {
  ok: boolean;
  expr: string;
  model: string;
  /** The candidate's eval the gate read, and the stable model's it compared with. */
  candidate: EvalSummary | null;
  stable: { model: string; eval: EvalSummary } | null;
  conditions: ConditionResult[];
}

const latest = (evals: readonly EvalSummary[] | undefined, pick: (e: EvalSummary) => boolean = () => true): EvalSummary | undefined =>
  [...(evals ?? [])].filter(pick).sort((a, b) => a.date.localeCompare(b.date)).at(-1);

function compare(actual: number, op: Op, value: number): boolean {
  const eps = 1e-12;
  if (op === '>=') return actual >= value - eps;
  if (op === '>') return actual > value;
  if (op === '<=') return actual <= value + eps;
  if (op === '<') return actual < value;
  return Math.abs(actual - value) <= eps;
}

const f = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(3));

/** Checks the gate for promoting `modelId` on `alias`; pure. */
export function checkGate(m: Manifest, alias: string, modelId: string, expr: string): GateResult {
  const conditions = parseGate(expr);
  const targets = m.aliases[alias]?.targets ?? [];
  const stableTarget = targets.find((t) => t.role === 'stable' && t.model !== modelId);
  const stableEval = stableTarget ? latest(m.models[stableTarget.model]?.evals) : undefined;
  const candEvals = m.models[modelId]?.evals;
  const candidate = stableEval ? latest(candEvals, (e) => e.dataHash === stableEval.dataHash && e.scorer === stableEval.scorer) : latest(candEvals);
  const stable = stableTarget && stableEval ? { model: stableTarget.model, eval: stableEval } : null;
  const results = conditions.map((c): ConditionResult => {
    if (!candidate) {
      const on = stableEval ? ` on the alias's data (${stableEval.dataHash.slice(0, 12)}…, scored by ${stableEval.scorer})` : '';
      return { text: c.text, ok: false, actual: null, detail: `${modelId} has no eval${on}` };
    }
    const paired = stable ? candidate.vs?.[stable.model] : undefined;
    let actual: number | undefined;
    let detail = '';
    switch (c.metric) {
      case 'score':
        actual = candidate.score;
        detail = `score ${f(candidate.score)} (95% CI ${f(candidate.interval.low)}–${f(candidate.interval.high)}, ${candidate.examples ?? '?'} examples)`;
        break;
      case 'low':
      case 'high':
        actual = candidate.interval[c.metric];
        detail = `95% interval ${f(candidate.interval.low)}–${f(candidate.interval.high)}`;
        break;
      case 'delta':
      case 'delta.low':
        if (!stable) {
          detail = `no eval of the stable model of "${alias}" to compare with`;
          break;
        }
        if (paired) {
          actual = c.metric === 'delta' ? paired.delta : paired.low;
          detail = `paired Δ ${f(paired.delta)} (95% CI ${f(paired.low)}–${f(paired.high)}, p = ${paired.pValue.toFixed(3)}) vs ${stable.model}`;
        } else if (c.metric === 'delta') {
          actual = candidate.score - stable.eval.score;
          detail = `Δ ${f(actual)} = ${f(candidate.score)} − ${f(stable.eval.score)} (${stable.model}, not run side by side)`;
        } else detail = `no paired comparison with ${stable.model}: run both in one \`llmgw eval\``;
        break;
      case 'p50':
      case 'p95':
        actual = candidate.latencyMs?.[c.metric];
        detail = actual === undefined ? 'the eval recorded no latency' : `${c.metric} ${Math.round(actual)} ms`;
        break;
      case 'examples':
        actual = candidate.examples;
        detail = `${candidate.examples ?? 'unknown'} examples`;
        break;
    }
    return actual === undefined ? { text: c.text, ok: false, actual: null, detail } : { text: c.text, ok: compare(actual, c.op, c.value), actual, detail };
  });
  return { ok: results.every((r) => r.ok), expr, model: modelId, candidate: candidate ?? null, stable, conditions: results };
}

/** One line per failed condition, for the refusal message. */
export function describeFailures(g: GateResult): string {
  return g.conditions.filter((c) => !c.ok).map((c) => `${c.text} failed: ${c.detail}`).join('; ');
}

export interface GateDecision {
  result: GateResult;
  /** Set when the gate failed and `force` let the step through: what the history records. */
  overridden?: string | undefined;
}

/**
 * The gate for a promote or canary step: the `--gate` expression, else the alias's `gate`
 * policy; undefined when there is neither. A failed gate throws (exit 1) unless `force`.
 */
export function enforceGate(m: Manifest, alias: string, modelId: string, opts: { gate?: string | undefined; force?: boolean | undefined }): GateDecision | undefined {
  const expr = opts.gate ?? m.aliases[alias]?.gate;
  if (expr === undefined) return undefined;
  const result = checkGate(m, alias, modelId, expr);
  if (result.ok) return { result };
  const failures = describeFailures(result);
  if (opts.force) return { result, overridden: `gate "${expr}" overridden with --force (${failures})` };
  throw new CheckFailedError('gate_failed', `The gate "${expr}" refused to move "${alias}" to ${modelId}: ${failures}.`, {
    hint: result.candidate
      ? `improve the model and evaluate it again (\`llmgw eval --data … ${alias}\`), or override with --force (the history records it)`
      : `evaluate it first on the stable model's data: \`llmgw eval --data HELD.jsonl ${alias}\` (registered candidates are stored with their evals), or override with --force`,
  });
}
