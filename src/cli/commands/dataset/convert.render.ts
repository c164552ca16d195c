import type { ChalkInstance } from 'chalk';
import type { ConvertResult } from '../../../core/dataset/convert/run.js';

const SHOWN = 10;

const FORMAT_NAMES: Record<string, string> = {
  'mapped-columns': 'columns mapped with --map',
  chat: 'OpenAI chat',
  sharegpt: 'ShareGPT',
  alpaca: 'Alpaca',
  'prompt-completion': 'prompt/completion',
  preference: 'preference pairs',
};

/** The result for a person: what was detected, what was written, what was skipped and why. */
export function renderConvert(r: ConvertResult, c: ChalkInstance): string {
  const lines: string[] = [];
  const format = r.detected.format === null ? 'unknown format' : (FORMAT_NAMES[r.detected.format] ?? r.detected.format);
  const how = r.detected.forced ? 'as given by --from' : 'detected';
  lines.push(`${c.bold(r.input)}: ${r.detected.container.toUpperCase()}, ${format} (${how})`);
  const skipped = r.skipped > 0 ? c.yellow(`, ${r.skipped} skipped`) : '';
  lines.push(`${c.green('✔')} wrote ${r.written} ${r.to} example${r.written === 1 ? '' : 's'} to ${c.bold(r.output)} (${r.items} read${skipped})`);
  if (r.skipped > 0) {
    lines.push('', c.yellow('Skipped:'));
    for (const s of r.skippedItems.slice(0, SHOWN)) lines.push(`  ${where(s.line, s.row)}: ${s.reason}`);
    if (r.skipped > SHOWN) lines.push(c.dim(`  …and ${r.skipped - SHOWN} more (all of them: --json)`));
  }
  if (r.safety.emails > 0) {
    const first = r.safety.findings.find((f) => f.code === 'email_address');
    lines.push('', `${c.yellow('⚠')} ${r.safety.emails} e-mail address${r.safety.emails === 1 ? '' : 'es'} in the training text${first ? ` (first: ${where(first.line, first.row)} ${first.field} ${first.masked})` : ''}; ${r.safety.redacted ? 'masked in the output' : 'mask them with --redact'}`);
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
