import type { ChalkInstance } from 'chalk';
import type { ConvertResult } from '../../../core/dataset/convert/run.js';

const SHOWN = 10;

const FORMAT_NAMES: Record<string, string> = {
  'mapped-columns': 'columns mapped with --map',
  'mapped-fields': 'fields mapped with --map',
  chat: 'OpenAI chat',
  sharegpt: 'ShareGPT',
  alpaca: 'Alpaca',
  'prompt-completion': 'prompt/completion',
  preference: 'preference pairs',
  'hh-rlhf': 'HH-RLHF transcripts',
};

/** The result for a person: what was detected, what was written, what changed, what was skipped and why. */
export function renderConvert(r: ConvertResult, c: ChalkInstance): string {
  const lines: string[] = [];
  const format = r.detected.format === null ? 'unknown format' : (FORMAT_NAMES[r.detected.format] ?? r.detected.format);
  const how = r.detected.forced ? 'as given by --from' : 'detected';
  const extra = [r.detected.gzip ? 'gzip' : '', r.detected.encoding !== 'utf-8' ? r.detected.encoding : ''].filter(Boolean).join(', ');
  lines.push(`${c.bold(r.input)}: ${r.detected.container.toUpperCase()}${extra ? ` (${extra})` : ''}, ${format} (${how})`);
  const skipped = r.skipped > 0 ? c.yellow(`, ${r.skipped} skipped`) : '';
  const to = r.to === r.kind ? `${r.to} example${r.written === 1 ? '' : 's'}` : `${r.to} line${r.written === 1 ? '' : 's'} (from ${r.kind} examples)`;
  lines.push(`${c.green('✔')} wrote ${r.written} ${to} to ${c.bold(r.output)} (${r.items} read${skipped})`);
  if (r.notes.length > 0) {
    lines.push('', c.bold('Changes made to the data:'));
    for (const n of r.notes.slice(0, SHOWN)) {
      const count = n.line === null ? '' : c.dim(` (${n.count} item${n.count === 1 ? '' : 's'}, first ${where(n.line, n.row)})`);
      lines.push(`  ${n.message}${count}`);
    }
    if (r.notes.length > SHOWN) lines.push(c.dim(`  …and ${r.notes.length - SHOWN} more kinds of change (all of them: --json)`));
  }
  if (r.skipped > 0) {
    lines.push('', c.yellow('Skipped:'));
    for (const s of r.skippedItems.slice(0, SHOWN)) lines.push(`  ${where(s.line, s.row)}: ${s.reason}`);
    if (r.skipped > SHOWN) lines.push(c.dim(`  …and ${r.skipped - SHOWN} more (all of them: --json)`));
  }
  return lines.join('\n');
}

/**
 * A red box on stderr when likely secrets were found, naming kinds and places (masked values
 * only). Returns '' when there are none.
 */
export function renderSafetyBox(r: ConvertResult, ec: ChalkInstance): string {
  if (r.safety.secrets === 0) return '';
  const kinds = Object.entries(r.safety.byKind)
    .filter(([k]) => k !== 'email')
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
  const body = [
    `✖ ${r.safety.secrets} likely secret${r.safety.secrets === 1 ? '' : 's'} in the training data: ${kinds}`,
    'A model trained on this data can learn to repeat them.',
    ...r.safety.findings
      .filter((f) => f.code === 'possible_secret')
      .slice(0, 5)
      .map((f) => `  ${where(f.line, f.row)} ${f.field}: ${f.label} ${f.masked}`),
    r.safety.redacted ? 'They were masked as [REDACTED <kind>] in the output. Rotate these keys.' : 'Re-run with --redact to mask them, and rotate these keys.',
  ];
  const width = Math.max(...body.map((l) => l.length)) + 2;
  const out = [`┌${'─'.repeat(width)}┐`, ...body.map((l) => `│ ${l.padEnd(width - 2)} │`), `└${'─'.repeat(width)}┘`];
  return `${out.map((l) => ec.red.bold(l)).join('\n')}\n`;
}

function where(line: number, row: number | null): string {
  return row === null ? `line ${line}` : `line ${line} (row ${row})`;
}

/** The warning about e-mail addresses in the converted text, with the first one's place. */
export function emailWarning(r: ConvertResult): string {
  const first = r.safety.findings.find((f) => f.code === 'email_address');
  const at = first ? ` (first: ${where(first.line, first.row)} ${first.field} ${first.masked})` : '';
  return `${r.safety.emails} e-mail address${r.safety.emails === 1 ? '' : 'es'} in the training text${at}; ${r.safety.redacted ? 'masked in the output' : 'mask them with --redact'}`;
}
