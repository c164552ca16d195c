/**
 * An eval's summary, stored with each registered model it ran: score, interval, data hash,
 * scorer, date, latency, and the paired comparisons with the other registered models of the same
 * run. What the promote gate reads. Pure: manifest in, manifest out.
 */
import type { EvalSummary } from '../manifest/schema-model.js';
import type { Manifest } from '../manifest/schema.js';
import type { Change } from '../manifest/transitions.js';
import type { EvalReport } from './report.js';

/** The data the scores are about: the file's sha256, with the sample when not the whole file. */
export function dataHashOf(r: EvalReport): string {
  return r.data.sample === 'all' ? r.data.sha256 : `${r.data.sha256}#${r.data.sample}`;
}

/** Scorer names with a version, and the judge model (a different judge is a different scorer). */
export function scorerOf(r: EvalReport): string {
  return r.scorers.map((s) => (s.name === 'judge' && r.judge ? `judge(${r.judge.model})@1` : `${s.name}@1`)).join('+');
}

export function summaries(r: EvalReport): Map<string, EvalSummary> {
  const out = new Map<string, EvalSummary>();
  const modelOf = new Map(r.candidates.map((c) => [c.name, c.modelId]));
  for (const c of r.candidates) {
    const { mean } = c.score;
    const [low, high] = c.score.ci95;
    if (!c.modelId || mean === null || low === null || high === null) continue;
    const vs: NonNullable<EvalSummary['vs']> = {};
    for (const p of r.comparisons) {
      const [d, lo, hi] = [p.delta.mean, p.delta.ci95[0], p.delta.ci95[1]];
      if (d === null || lo === null || hi === null || p.pValue === null) continue;
      const other = p.a === c.name ? modelOf.get(p.b) : p.b === c.name ? modelOf.get(p.a) : undefined;
      if (!other || other === c.modelId) continue;
      vs[other] = p.a === c.name ? { delta: d, low: lo, high: hi, pValue: p.pValue } : { delta: -d, low: -hi, high: -lo, pValue: p.pValue };
    }
    const latency = c.latencyMs.total;
    out.set(c.modelId, {
      score: mean,
      interval: { low, high, level: 0.95 },
      dataHash: dataHashOf(r),
      scorer: scorerOf(r),
      date: r.createdAt,
      examples: c.score.n,
      ...(latency.p50 !== null && latency.p95 !== null && { latencyMs: { p50: latency.p50, p95: latency.p95 } }),
      ...(Object.keys(vs).length > 0 && { vs }),
    });
  }
  return out;
}

/** Appends the run's summaries to the models' `evals`; undefined when no candidate is a registered model. */
export function recordEvals(m: Manifest, r: EvalReport): Change | undefined {
  const found = [...summaries(r)].filter(([id]) => m.models[id]);
  if (found.length === 0) return undefined;
  const models = { ...m.models };
  for (const [id, summary] of found) {
    const entry = models[id];
    if (entry) models[id] = { ...entry, evals: [...(entry.evals ?? []), summary] };
  }
  const alias = r.candidates.find((c) => c.alias)?.alias ?? found[0]?.[0] ?? '';
  const current = m.aliases[alias] ?? null;
  return { manifest: { ...m, models }, action: 'eval', alias, before: current, after: current, model: found.map(([id]) => id).join(', ') };
}
