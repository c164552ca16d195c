/** Pure renderers for `dataset validate`: a text report for people, annotations for GitHub Actions. */
import type { ChalkInstance } from 'chalk';
import type { Issue, Severity } from '../../../core/dataset/issues.js';
import type { FileReport } from '../../../core/dataset/validate.js';
import { formatBytes } from '../../../core/dataset/validate.js';

/** The `--json` document of `dataset validate` (documented in docs/commands/dataset.md). */
export interface ValidateResult {
  valid: boolean;
  strict: boolean;
  /**
   * The base model. `provider` is `openai` for a model of llmgw's OpenAI table (tokens counted in
   * its encoding); for another provider's model (`--target bedrock --model …`) `encoding` and
   * `maxExampleTokens` are null: no tokenizer for it ships with llmgw, so nothing is counted.
   * A Gemini model under `--target vertex` is counted approximately: `tokenizer` says how (else null).
   */
  model: { id: string; source: 'default' | 'flag'; provider: string; encoding: string | null; maxExampleTokens: number | null; tokenizer: string | null };
  /** False under --no-tokens, and for a model llmgw has no tokenizer for. */
  tokens: boolean;
  files: FileReport[];
}

/** Occurrences shown per code in the text report; the rest are counted. */
export const SHOWN_PER_CODE = 5;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const n = (v: number): string => v.toLocaleString('en-US');
const plural = (count: number, word: string): string => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

export function renderText(result: ValidateResult, c: ChalkInstance): string {
  const out: string[] = [];
  const paint = (s: Severity, text: string): string => (s === 'error' ? c.red(text) : s === 'warning' ? c.yellow(text) : c.cyan(text));
  for (const file of result.files) {
    const kind = file.kind ?? 'unknown kind';
    const { errors, warnings } = file.summary;
    out.push(c.bold(`${file.file}`) + c.dim(` · ${kind} · ${plural(file.summary.examples, 'example')}`));
    for (const group of groupByCode(file)) {
      const [first] = group.shown;
      if (!first) continue;
      out.push(`  ${paint(first.severity, first.severity)} ${c.bold(first.code)} ${c.dim(`×${n(group.count)}`)}`);
      let lastHint = '';
      for (const issue of group.shown) {
        const where = issue.line > 0 ? `${issue.file}:${issue.line}` : issue.file;
        out.push(`    ${c.dim(where)}${issue.field ? ` ${issue.field}` : ''} — ${issue.message}`);
        if (issue.hint !== lastHint) out.push(`      ${c.dim('fix:')} ${issue.hint}`);
        lastHint = issue.hint;
      }
      if (group.count > group.shown.length) out.push(c.dim(`    …and ${n(group.count - group.shown.length)} more`));
    }
    if (file.stoppedEarly) {
      out.push(c.yellow(`  stopped after ${plural(file.stoppedEarly.afterErrors, 'error')} at line ${n(file.stoppedEarly.line)} (--max-errors); the counts below cover the lines before it`));
    }
    out.push(...summaryLines(file, result, c));
    const verdict = file.valid ? c.green('✓ valid') : c.red(`✗ ${errors > 0 ? plural(errors, 'error') : plural(warnings, 'warning') + ' (--strict)'}`);
    out.push(`  ${verdict}${file.valid && warnings > 0 ? c.dim(` (${plural(warnings, 'warning')})`) : ''}`, '');
  }
  out.push(modelLine(result, c));
  if (result.files.length > 1) {
    const valid = result.files.filter((f) => f.valid).length;
    out.push(`${plural(result.files.length, 'file')}: ${n(valid)} valid, ${n(result.files.length - valid)} invalid`);
  }
  return out.join('\n');
}

function summaryLines(file: FileReport, result: ValidateResult, c: ChalkInstance): string[] {
  const s = file.summary;
  const lines = [`  ${c.dim('examples')} ${n(s.examples)} · ${plural(s.lines, 'line')} · ${formatBytes(s.bytes)} · ${plural(s.errors, 'error')} · ${plural(s.warnings, 'warning')}`];
  const t = file.tokens;
  if (t) {
    lines.push(`  ${c.dim('tokens  ')} ${t.approximate ? '≈ ' : ''}${n(t.total)} (${t.approximate ? `approximate, ${t.encoding} × ${t.scale ?? 1}` : t.encoding}) · per example min ${n(t.min)} · mean ${n(t.mean)} · p50 ${n(t.p50)} · p95 ${n(t.p95)} · max ${n(t.max)} · over ${n(t.limit)}: ${n(t.overLimit)}`);
  } else if (!result.tokens) {
    const why = result.model.encoding === null ? `no tokenizer for ${result.model.id} ships with llmgw` : '--no-tokens';
    lines.push(`  ${c.dim('tokens  ')} not counted (${why})`);
  }
  const b = file.billing;
  if (!b && t && t.approximate) lines.push(`  ${c.dim('cost    ')} not estimated: ${result.model.provider} picks the epoch count and llmgw keeps no price table for it (pass --epochs and --price)`);
  if (b) {
    const cost = b.estimatedCostUsd === null ? 'no price known (pass --price)' : `≈ $${b.estimatedCostUsd.toFixed(2)}`;
    const price = b.priceSource === 'override' ? ` at $${b.pricePerMillion}/1M (--price)` : b.priceSource === 'table' ? ` at $${b.pricePerMillion}/1M (price table of ${b.priceDate})` : '';
    const epochs = `${plural(b.epochs, 'epoch')}${b.epochsSource === 'default-rule' ? ' (provider default for this size)' : ''}`;
    lines.push(`  ${c.dim('cost    ')} ${n(b.billedTokens)} billed tokens over ${epochs}${price}: ${cost}`);
  }
  return lines;
}

function modelLine(result: ValidateResult, c: ChalkInstance): string {
  const m = result.model;
  const source = m.source === 'default' ? ' (default; change with --model)' : '';
  if (m.encoding === null || m.maxExampleTokens === null) return c.dim(`model ${m.id} (${m.provider}): no token counts or cost estimate (no tokenizer for it ships with llmgw)`);
  if (m.tokenizer !== null && m.maxExampleTokens !== null) return c.dim(`model ${m.id} (${m.provider}${m.source === 'default' ? '; default, change with --model' : ''}): tokens counted with ${m.tokenizer}; ${n(m.maxExampleTokens)} tokens per example`);
  return c.dim(`model ${m.id}${source}: ${m.encoding}, ${n(m.maxExampleTokens)} tokens per example`);
}

interface CodeGroup {
  count: number;
  shown: Issue[];
}

/** Kept issues grouped by code: errors first, then warnings, then notes; each by first line. */
function groupByCode(file: FileReport): CodeGroup[] {
  const groups = new Map<string, CodeGroup>();
  for (const issue of file.issues) {
    let group = groups.get(issue.code);
    if (!group) {
      group = { count: file.issueCounts[issue.code] ?? 0, shown: [] };
      groups.set(issue.code, group);
    }
    if (group.shown.length < SHOWN_PER_CODE) group.shown.push(issue);
  }
  return [...groups.values()].sort((a, b) => {
    const [x, y] = [a.shown[0], b.shown[0]];
    if (!x || !y) return 0;
    return SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity] || x.line - y.line;
  });
}

/**
 * GitHub Actions workflow commands, one per kept issue, then a summary line. Data is escaped as
 * the runner requires (`%`, CR, LF), property values also `:` and `,`.
 */
export function renderGithub(result: ValidateResult): string {
  const out: string[] = [];
  for (const file of result.files) {
    for (const issue of file.issues) {
      const command = issue.severity === 'error' ? 'error' : issue.severity === 'warning' ? 'warning' : 'notice';
      const props = [`file=${escapeProperty(issue.file)}`, ...(issue.line > 0 ? [`line=${issue.line}`] : []), `title=${escapeProperty(issue.code)}`];
      const text = `${issue.field ? `${issue.field}: ` : ''}${issue.message}. Fix: ${issue.hint}`;
      out.push(`::${command} ${props.join(',')}::${escapeData(text)}`);
    }
    const s = file.summary;
    const shown = file.issues.length < s.errors + s.warnings + s.infos ? ` (first ${file.issues.length} annotated)` : '';
    out.push(`llmgw: ${file.file}: ${file.valid ? 'valid' : 'invalid'}, ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.examples, 'example')}${shown}`);
  }
  return out.join('\n');
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
