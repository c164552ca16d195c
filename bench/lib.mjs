// Helpers shared by the bench modules: the floor's line splitter, medians, and per-round ratios.
//
// The runner hands `report(results)` an array of per-round results for every case
// (results[name][i] is round i). A ratio is taken inside each round, between two cases that ran
// back to back, then summarised as the median and range over the rounds: load on a shared
// machine comes and goes, and a median of paired ratios shrugs that off far better than a ratio
// of two single runs minutes apart.
import { Buffer } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const mbOf = (bytes) => bytes / 1e6;
export const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

/** Splits the file on 0x0a straight from the Buffer, one toString per line (the floor's reader). */
export async function forEachLine(file, onLine) {
  let rest = null;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      if (nl > start) onLine(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest) onLine(rest.toString('utf8'));
}

/** Runs fn and returns its result with wall and CPU seconds (this process, worker threads included). */
export async function timed(fn) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { result, seconds: (performance.now() - start) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A round that ran: no error, and not skipped (a case says why in a string `skipped`). */
const ran = (r) => r.error === undefined && typeof r.skipped !== 'string';
/** True when every round of the case ran. */
export const done = (rounds) => rounds !== undefined && rounds.length > 0 && rounds.every(ran);

/** Median over the rounds of one numeric field of a case. */
export const med = (rounds, field) => median(rounds.map((r) => r[field]));
/** Largest value of a field over the rounds (peak RSS). */
export const max = (rounds, field) => Math.max(...rounds.map((r) => r[field]));

/** f(a[i], b[i]) for each round i where both cases ran, as { median, min, max, n }, or null. */
export function paired(a, b, f) {
  const values = [];
  for (let i = 0; i < Math.min(a?.length ?? 0, b?.length ?? 0); i++) {
    if (ran(a[i]) && ran(b[i])) values.push(f(a[i], b[i]));
  }
  if (values.length === 0 || values.some((v) => !Number.isFinite(v))) return null;
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

const stat = (s) => (s === null ? 'n/a' : s.n === 1 ? fmt(s.median, 2) : `${fmt(s.median, 2)} (${fmt(s.min, 2)}-${fmt(s.max, 2)}, ${s.n} rounds)`);

/**
 * A table row for a ratio with a target: `wall` decides `ok`; `cpu` (the same ratio in CPU
 * seconds, far less sensitive to other load) is shown beside it and in the summary.
 */
export function ratioRow(metric, wall, target, cmp, cpu) {
  const meets = (s) => (s === null ? undefined : cmp === '≥' ? s.median >= target : s.median <= target);
  return { metric, value: stat(wall), cpu: cpu === undefined ? undefined : stat(cpu), target: `${cmp} ${target}`, ok: meets(wall), cpuOk: cpu === undefined ? undefined : meets(cpu) };
}

/** A row for a limit on a plain number (peak RSS, counts): `value` is shown with `unit`. */
export function limitRow(metric, value, target, cmp, unit = '') {
  const ok = value === null || Number.isNaN(value) ? undefined : cmp === '<' ? value < target : cmp === '≤' ? value <= target : value === target;
  return { metric, value: `${fmt(value, 0)}${unit}`, target: `${cmp} ${target}${unit}`, ok };
}
