import type { ChalkInstance } from 'chalk';
import type { SplitResult } from '../../../core/dataset/split/run.js';

const SHOWN = 10;

export function renderSplit(r: SplitResult, c: ChalkInstance): string {
  const lines: string[] = [];
  const asked = r.mode === 'count' ? `${r.requested} for validation` : `${Math.round(r.requested * 1000) / 10}% for validation`;
  lines.push(`${c.bold(r.input)}: ${r.examples} example${r.examples === 1 ? '' : 's'} split with seed ${JSON.stringify(r.seed)} (${asked})`);
  if (r.dedupe.enabled) {
    lines.push(`  dedupe: dropped ${r.dedupe.dropped} exact duplicate${r.dedupe.dropped === 1 ? '' : 's'}`);
    for (const d of r.dedupe.lines.slice(0, SHOWN)) lines.push(c.dim(`    line ${d.line} = line ${d.duplicateOf}`));
    if (r.dedupe.dropped > SHOWN) lines.push(c.dim(`    …and ${r.dedupe.dropped - SHOWN} more`));
  }
  if (r.promptOverlaps.count > 0) {
    lines.push(c.yellow(`⚠ ${r.promptOverlaps.count} validation example${r.promptOverlaps.count === 1 ? '' : 's'} ask${r.promptOverlaps.count === 1 ? 's' : ''} a prompt that train also has (with another answer); validation scores may flatter the model`));
    for (const l of r.promptOverlaps.examples.slice(0, 3)) lines.push(c.dim(`    validation line ${l.valLine} ↔ train line ${l.trainLine}`));
    if (r.promptOverlaps.count > 3) lines.push(c.dim(`    …and ${r.promptOverlaps.count - 3} more (all of them: --json)`));
  }
  if (r.leaks.count > 0) {
    const head = `examples are in both train and validation (${r.leaks.count} cop${r.leaks.count === 1 ? 'y' : 'ies'} across the split)`;
    lines.push(r.written ? c.yellow(`⚠ ${head} (written anyway: --allow-leak)`) : c.red(`✖ ${head}: nothing written`));
    for (const l of r.leaks.examples.slice(0, SHOWN)) lines.push(`    validation line ${l.valLine} ↔ train line ${l.trainLine}`);
    if (r.leaks.count > SHOWN) lines.push(c.dim(`    …and ${r.leaks.count - SHOWN} more`));
    if (!r.written) lines.push('  fix: add --dedupe to drop the copies before splitting, or pass --allow-leak');
  }
  if (r.written) {
    lines.push(`${c.green('✔')} train      ${String(r.train.examples).padStart(7)}  ${r.train.path}`);
    lines.push(`${c.green('✔')} validation ${String(r.validation.examples).padStart(7)}  ${r.validation.path}`);
    if (r.validation.examples === 0) lines.push(c.yellow('⚠ the validation file is empty: raise --validation or use --validation-count'));
  }
  return lines.join('\n');
}
