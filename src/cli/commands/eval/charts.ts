/**
 * The report's charts as inline SVG (no script, no network): scores with their 95 % intervals,
 * cost against score, and latency distributions. Pure functions of the report.
 */
import type { CandidateReport } from '../../../core/eval/report.js';

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
export const colour = (i: number): string => PALETTE[i % PALETTE.length] as string;

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const W = 720;
const LABEL = 220;
const PAD = 24;
const n2 = (x: number): string => (Math.round(x * 100) / 100).toString();
const short = (s: string): string => (s.length > 30 ? `${s.slice(0, 14)}…${s.slice(-14)}` : s);

function axis(x0: number, x1: number, y: number, ticks: { at: number; label: string }[], title: string): string {
  const parts = [`<line class="axis" x1="${x0}" y1="${y}" x2="${x1}" y2="${y}"/>`];
  for (const t of ticks) parts.push(`<line class="tick" x1="${n2(t.at)}" y1="${y}" x2="${n2(t.at)}" y2="${y + 4}"/><text class="tick-label" x="${n2(t.at)}" y="${y + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  parts.push(`<text class="axis-title" x="${(x0 + x1) / 2}" y="${y + 32}" text-anchor="middle">${esc(title)}</text>`);
  return parts.join('');
}

function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/** One row per candidate: the mean as a dot, the 95 % interval as a bar, on a 0..1 axis. */
export function scoreChart(cs: readonly CandidateReport[]): string {
  const rowH = 30;
  const h = cs.length * rowH + 56;
  const x = (v: number): number => LABEL + v * (W - LABEL - PAD);
  const rows = cs.map((c, i) => {
    const y = 16 + i * rowH + rowH / 2;
    const label = `<text class="label" x="${LABEL - 10}" y="${y + 4}" text-anchor="end">${esc(short(c.name))}</text>`;
    if (c.score.mean === null) return `${label}<text class="na" x="${LABEL}" y="${y + 4}">no answers</text>`;
    const [lo, hi] = c.score.ci95;
    const bar = lo !== null && hi !== null ? `<line class="ci" stroke="${colour(i)}" x1="${n2(x(lo))}" y1="${y}" x2="${n2(x(hi))}" y2="${y}"/>` : '';
    return `${label}${bar}<circle class="score-dot" data-candidate="${esc(c.name)}" fill="${colour(i)}" cx="${n2(x(c.score.mean))}" cy="${y}" r="6"><title>${esc(c.name)}: ${c.score.mean.toFixed(3)} (95% CI ${lo?.toFixed(3)}–${hi?.toFixed(3)})</title></circle>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((v) => ({ at: x(v), label: String(v) }));
  return `<svg id="chart-scores" class="chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="score with 95% interval per candidate">${rows.join('')}${axis(LABEL, W - PAD, h - 44, ticks, 'score (mean, 95% interval)')}</svg>`;
}

/** Cost per 1,000 requests against score, with each score's interval; unpriced candidates listed below. */
export function costChart(cs: readonly CandidateReport[]): string {
  const h = 340;
  const left = 64;
  const bottom = h - 48;
  const priced = cs.map((c, i) => ({ c, i })).filter(({ c }) => c.cost.per1000RequestsUsd !== null && c.score.mean !== null);
  const maxCost = Math.max(0, ...priced.map(({ c }) => c.cost.per1000RequestsUsd as number)) * 1.15 || 1;
  const xt = niceTicks(maxCost);
  const xMax = Math.max(maxCost, xt[xt.length - 1] ?? maxCost);
  const x = (v: number): number => left + (v / xMax) * (W - left - PAD);
  const y = (v: number): number => bottom - v * (bottom - 16);
  const points = priced.map(({ c, i }) => {
    const cx = x(c.cost.per1000RequestsUsd as number);
    const [lo, hi] = c.score.ci95;
    const bar = lo !== null && hi !== null ? `<line class="ci" stroke="${colour(i)}" x1="${n2(cx)}" y1="${n2(y(lo))}" x2="${n2(cx)}" y2="${n2(y(hi))}"/>` : '';
    return `${bar}<circle class="cost-dot" fill="${colour(i)}" cx="${n2(cx)}" cy="${n2(y(c.score.mean as number))}" r="6"><title>${esc(c.name)}: $${(c.cost.per1000RequestsUsd as number).toFixed(4)} per 1,000 requests, score ${(c.score.mean as number).toFixed(3)}</title></circle><text class="point-label" x="${n2(cx + 9)}" y="${n2(y(c.score.mean as number) - 8)}">${esc(short(c.name))}</text>`;
  });
  const yAxis = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line class="grid" x1="${left}" y1="${n2(y(v))}" x2="${W - PAD}" y2="${n2(y(v))}"/><text class="tick-label" x="${left - 8}" y="${n2(y(v) + 4)}" text-anchor="end">${v}</text>`).join('');
  const xTicks = xt.map((v) => ({ at: x(v), label: `$${v < 1 ? v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '') : n2(v)}` }));
  const none = cs.filter((c) => c.cost.per1000RequestsUsd === null).map((c) => c.name);
  const note = none.length ? `<p class="note">No price for: ${none.map(esc).join(', ')} (add <code>--price NAME=IN,OUT</code>).</p>` : '';
  return `<svg id="chart-cost" class="chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="cost per 1,000 requests against score">${yAxis}${points.join('')}${axis(left, W - PAD, bottom, xTicks, 'USD per 1,000 requests (dated price table)')}<text class="axis-title" x="14" y="${bottom / 2}" transform="rotate(-90 14 ${bottom / 2})" text-anchor="middle">score</text></svg>${note}`;
}

/** Per candidate, total latency and time to first token as boxes (p25–p75, median line) with whiskers to the minimum and p95, and the maximum as a dot. */
export function latencyChart(cs: readonly CandidateReport[]): string {
  const rows = cs.flatMap((c, i) => [
    { c, i, kind: 'total', box: c.latencyMs.total.box },
    { c, i, kind: 'ttft', box: c.latencyMs.ttft.box },
  ]).filter((r) => r.box !== null);
  const rowH = 26;
  const h = rows.length * rowH + 60;
  const max = Math.max(1, ...rows.map((r) => (r.box as number[])[5] as number));
  const ticks = niceTicks(max);
  const xMax = Math.max(max, ticks[ticks.length - 1] ?? max);
  const x = (v: number): number => LABEL + (v / xMax) * (W - LABEL - PAD);
  const body = rows.map((r, k) => {
    const [min, p25, p50, p75, p95, mx] = r.box as [number, number, number, number, number, number];
    const y = 16 + k * rowH + rowH / 2;
    const col = colour(r.i);
    return `<text class="label" x="${LABEL - 10}" y="${y + 4}" text-anchor="end">${esc(short(r.c.name))} ${r.kind}</text>` +
      `<line class="whisker" stroke="${col}" x1="${n2(x(min))}" y1="${y}" x2="${n2(x(p95))}" y2="${y}"/>` +
      `<rect class="latency-box" fill="${col}" x="${n2(x(p25))}" y="${y - 7}" width="${n2(Math.max(1, x(p75) - x(p25)))}" height="14"><title>${esc(r.c.name)} ${r.kind}: p50 ${Math.round(p50)} ms, p95 ${Math.round(p95)} ms, max ${Math.round(mx)} ms</title></rect>` +
      `<line class="median" x1="${n2(x(p50))}" y1="${y - 7}" x2="${n2(x(p50))}" y2="${y + 7}"/><circle class="max" fill="${col}" cx="${n2(x(mx))}" cy="${y}" r="2.5"/>`;
  });
  return `<svg id="chart-latency" class="chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="latency distributions">${body.join('')}${axis(LABEL, W - PAD, h - 44, ticks.map((v) => ({ at: x(v), label: `${v}` })), 'milliseconds (box p25–p75, line p50, whisker min–p95, dot max)')}</svg>`;
}
