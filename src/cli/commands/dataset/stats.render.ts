import type { ChalkInstance } from 'chalk';
import type { StatsReport } from '../../../core/dataset/stats/compute.js';

const BAR = 40;
const n = (v: number): string => v.toLocaleString('en-US');

/** The stats for a person; the histogram bars only on a terminal (`tty`), the numbers always. */
export function renderStats(r: StatsReport, c: ChalkInstance, tty: boolean): string {
  const t = r.tokens;
  const lines: string[] = [];
  lines.push(`${c.bold(r.file)}: ${n(r.examples)} ${r.kind ?? 'unknown'} example${r.examples === 1 ? '' : 's'}, ${n(r.messages.total)} messages (${r.messages.perExample.min}–${r.messages.perExample.max} per example, mean ${r.messages.perExample.mean})`);
  if (r.unreadableLines > 0) lines.push(c.yellow(`⚠ ${n(r.unreadableLines)} line(s) left out: not JSON, or not a ${r.kind ?? 'known'} example (run \`llmgw dataset validate\`)`));
  lines.push('', c.bold('Tokens') + c.dim(` (${t.encoding})`));
  lines.push(`  total ${n(t.total)} · trained ${n(t.trained)} · min ${n(t.min)} · mean ${n(t.mean)} · p50 ${n(t.p50)} · p95 ${n(t.p95)} · max ${n(t.max)}`);
  if (tty && t.histogram.length > 0) {
    const peak = Math.max(...t.histogram.map((b) => b.count));
    const width = Math.max(...t.histogram.map((b) => `${n(b.from)}–${n(b.to)}`.length));
    for (const b of t.histogram) {
      const bar = '█'.repeat(peak === 0 ? 0 : Math.round((b.count / peak) * BAR));
      lines.push(`  ${`${n(b.from)}–${n(b.to)}`.padStart(width)} │${c.cyan(bar)} ${n(b.count)}`);
    }
  }
  if (t.overLimit > 0) lines.push(c.yellow(`  ⚠ ${n(t.overLimit)} example(s) over the ${n(t.limit)}-token limit, truncated in training (lines ${t.overLimitLines.join(', ')}${t.overLimit > t.overLimitLines.length ? ', …' : ''})`));
  if (r.longest.length > 0) lines.push(`  longest: ${r.longest.map((l) => `line ${l.line} (${n(l.tokens)})`).join(', ')}`);
  lines.push('', c.bold('Roles'));
  lines.push(`  ${Object.entries(r.roles).map(([role, count]) => `${role} ${n(count)}`).join(' · ')}`);
  lines.push(`  system prompt in ${Math.round(r.systemPrompts.share * 1000) / 10}% of examples, ${n(r.systemPrompts.distinct)} distinct`);
  lines.push('', c.bold('Duplicates'));
  if (r.duplicates.count === 0) lines.push('  none');
  else {
    lines.push(c.yellow(`  ${n(r.duplicates.count)} example(s) repeat an earlier one (after whitespace normalisation); drop them with \`llmgw dataset split --dedupe\``));
    lines.push(c.dim(`  ${r.duplicates.examples.slice(0, 10).map((d) => `line ${d.line} = ${d.duplicateOf}`).join(', ')}${r.duplicates.count > 10 ? ', …' : ''}`));
  }
  const b = r.billing;
  lines.push('', c.bold('Estimated training cost') + c.dim(` (${b.model})`));
  const price = b.pricePerMillion === null ? 'no known price (pass --price)' : `$${b.pricePerMillion}/1M tokens${b.priceDate ? ` as of ${b.priceDate}` : ' (override)'}`;
  const cost = b.estimatedCostUsd === null ? 'unknown' : `$${b.estimatedCostUsd.toFixed(2)}`;
  lines.push(`  ${n(b.billedTokensPerEpoch)} billed tokens per epoch × ${b.epochs} epoch${b.epochs === 1 ? '' : 's'} (${b.epochsSource === 'flag' ? '--epochs' : "provider's default rule"}) = ${n(b.billedTokens)} tokens · ${price} · ${c.bold(cost)}`);
  return lines.join('\n');
}
