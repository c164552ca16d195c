/** The text form of an eval report: one row per candidate, then every pair. Pure. */
import type { ChalkInstance } from 'chalk';
import type { CandidateReport, ComparisonReport, EvalReport } from '../../../core/eval/report.js';

const f3 = (x: number | null): string => (x === null ? '–' : x.toFixed(3));
const ms = (x: number | null): string => (x === null ? '–' : x >= 10_000 ? `${(x / 1000).toFixed(1)}s` : `${Math.round(x)}`);
const signed = (x: number | null): string => (x === null ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
const pval = (p: number | null): string => (p === null ? '–' : p < 0.001 ? p.toExponential(1) : p.toFixed(3));

function table(rows: string[][], right: Set<number>): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function costCell(c: CandidateReport): string {
  if (c.cost.per1000RequestsUsd === null) return c.cost.inputPerMillion === null ? 'no price' : '–';
  return `$${c.cost.per1000RequestsUsd.toFixed(c.cost.per1000RequestsUsd < 1 ? 4 : 2)}`;
}

export function comparisonLine(c: ComparisonReport): string {
  const verdict = c.better === 'a' ? `${c.a} is better` : c.better === 'b' ? `${c.b} is better` : 'no significant difference';
  return `${c.a} vs ${c.b}: ${c.wins} wins, ${c.ties} ties, ${c.losses} losses on ${c.n} examples; Δ ${signed(c.delta.mean)} (95% CI ${signed(c.delta.ci95[0])} to ${signed(c.delta.ci95[1])}), p = ${pval(c.pValue)} → ${verdict}`;
}

export function renderReport(c: ChalkInstance, r: EvalReport): string {
  const lines: string[] = [];
  const scorerNames = r.scorers.map((s) => s.name).join(', ');
  lines.push(`${c.bold('eval')} ${r.data.path}: ${r.data.examples} examples (${r.data.sample === 'all' ? 'all' : r.data.sample}), sha256 ${r.data.sha256.slice(0, 12)}…, scored by ${scorerNames}`);
  if (r.data.skipped) lines.push(c.yellow(`  ${r.data.skipped} line(s) skipped, e.g. line ${r.data.skippedLines[0]?.line}: ${r.data.skippedLines[0]?.reason}`));
  lines.push('');
  const multi = r.scorers.length > 1;
  const header = ['candidate', 'score', '95% CI', 'n', ...(multi ? r.scorers.map((s) => s.name) : []), 'p50 ms', 'p95 ms', 'ttft p95', 'tokens in/out', '$/1k req', 'cached', 'failed'];
  const rows = r.candidates.map((k) => [
    k.name,
    f3(k.score.mean),
    `${f3(k.score.ci95[0])}–${f3(k.score.ci95[1])}`,
    String(k.score.n),
    ...(multi ? r.scorers.map((s) => f3(k.scores[s.name]?.mean ?? null)) : []),
    ms(k.latencyMs.total.p50),
    ms(k.latencyMs.total.p95),
    ms(k.latencyMs.ttft.p95),
    `${k.tokens.meanInput === null ? '–' : Math.round(k.tokens.meanInput)}/${k.tokens.meanOutput === null ? '–' : Math.round(k.tokens.meanOutput)}`,
    costCell(k),
    String(k.requests.fromCache),
    k.requests.failed ? c.red(String(k.requests.failed)) : '0',
  ]);
  const right = new Set(header.map((_, i) => i).filter((i) => i > 0 && i !== 2));
  const [head, ...body] = table([header, ...rows], right);
  lines.push(c.bold(head ?? ''), ...body);
  if (r.comparisons.length) {
    lines.push('', c.bold('pairs (same examples)'));
    for (const p of r.comparisons) lines.push(`  ${comparisonLine(p)}`);
  }
  const priced = r.candidates.find((k) => k.cost.priceDate);
  lines.push('', c.dim(`intervals: ${r.method.interval}; pairs: ${r.method.pairedTest}.`));
  if (priced) lines.push(c.dim(`prices: dated table of ${priced.cost.priceDate} (${[...new Set(r.candidates.map((k) => k.cost.priceSource).filter(Boolean))].join('; ')}); per 1,000 requests at this run's mean tokens.`));
  if (r.cost.spentUsd !== null && r.cost.spentUsd > 0) lines.push(c.dim(`this run paid about $${r.cost.spentUsd.toFixed(4)} for the requests it sent.`));
  for (const s of r.scorers) lines.push(c.dim(`${s.name}: measures ${s.measures}; cannot ${s.cannot}.`));
  for (const k of r.candidates) for (const e of k.requests.errors.slice(0, 2)) lines.push(c.red(`${k.name} line ${e.line}: ${e.message}`));
  return lines.join('\n');
}
