import { readFileSync } from 'node:fs';
import { ISSUE_CATALOG, ISSUE_CODES, type IssueCode, type Severity } from '../../../src/core/dataset/issues.js';
import type { TokenPool } from '../../../src/core/tokens/pool.js';
import { fixtureOptions, fixturePath, runFixture } from './rule-fixtures.js';

/**
 * Renders docs/rules.md from the issue catalogue and the rule fixtures, so the examples and the
 * messages in the docs are exactly what llmgw prints. `rules-doc.test.ts` compares the file with
 * this; after changing a rule, run `npx vitest run test/core/dataset/rules-doc.test.ts -u`.
 */
export async function renderRulesDoc(pool: TokenPool): Promise<string> {
  const out: string[] = [INTRO];
  for (const [title, codes] of groups()) {
    out.push(`## ${title}`, '', codes.map((c) => `[\`${c}\`](#${c})`).join(' · '), '');
    for (const code of codes) out.push(await section(code, pool));
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const INTRO = `# Dataset rules

\`llmgw dataset validate\` reports every problem with a stable code, a severity, the file, the line
(0 for the whole file), the field path inside the example, a message and a fix. This page lists
every code with a bad example, the message llmgw prints for it, and the fixed example.

- **error**: the provider would reject the file or train on something broken; exit code 1.
- **warning**: the file is accepted but probably not what you meant; exit 1 only with \`--strict\`.
- **info**: a note; never fails.

Generated from \`src/core/dataset/issues.ts\` and the fixtures in \`test/fixtures/rules/\`
(bad and fixed examples) by \`test/core/dataset/rules-doc.ts\`; a test fails when they drift.
Bytes that cannot be shown are written as \`\\xNN\`, a carriage return as \`\\r\`; long lines are cut.
`;

function groups(): [string, IssueCode[]][] {
  const reading = ISSUE_CODES.slice(0, ISSUE_CODES.indexOf('missing_messages'));
  const file = ISSUE_CODES.slice(ISSUE_CODES.indexOf('too_few_examples'));
  const example = ISSUE_CODES.filter((c) => !reading.includes(c) && !file.includes(c));
  return [
    ['Reading the file', reading],
    ['Inside an example', example],
    ['The whole file', file],
  ];
}

const SEVERITY_LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };
const MAX_SHOWN = 300;

async function section(code: IssueCode, pool: TokenPool): Promise<string> {
  const spec = ISSUE_CATALOG[code];
  const bad = await runFixture(code, 'bad', pool);
  const issue = bad.issues.find((i) => i.code === code);
  if (!issue) throw new Error(`fixture for ${code} does not report it`);
  const badLines = linesOf(fixturePath(code, 'bad'));
  const fixedLines = linesOf(fixturePath(code, 'fixed'));
  const flags = flagsOf(code);
  const where = issue.line > 0 ? `line ${issue.line}` : 'whole file';
  const printed = `${issue.line > 0 ? `data.jsonl:${issue.line}` : 'data.jsonl'}${issue.field ? ` ${issue.field}` : ''} — ${issue.message}\n  fix: ${issue.hint}`;
  return [
    `### \`${code}\``,
    '',
    `**${SEVERITY_LABEL[spec.severity]}** · ${spec.summary}`,
    '',
    `Bad (${where}${flags}):`,
    fence('jsonl', excerpt(badLines, issue.line)),
    'llmgw prints:',
    fence('text', printed),
    'Fixed:',
    fence('jsonl', excerpt(fixedLines, issue.line)),
  ].join('\n');
}

function flagsOf(code: IssueCode): string {
  const o = fixtureOptions(code);
  const parts: string[] = [];
  if (o.kind) parts.push(`--kind ${o.kind}`);
  if (o.model) parts.push(`--model ${o.model}`);
  if (o.maxLineBytes) parts.push(`--max-line-bytes ${o.maxLineBytes}`);
  if (o.profile?.maxFileBytes) parts.push(`a provider limit of ${o.profile.maxFileBytes} bytes`);
  return parts.length > 0 ? `, with ${parts.join(', ')}` : '';
}

function fence(lang: string, text: string): string {
  return `\`\`\`${lang}\n${text}\n\`\`\`\n`;
}

/** Lines of a fixture as raw bytes (without the \n). */
function linesOf(path: string): Buffer[] {
  const buf = readFileSync(path);
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, start)) {
    lines.push(buf.subarray(start, nl));
    start = nl + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

/** The reported line and its neighbours (up to 3 lines), or the first lines for a file-level issue. */
function excerpt(lines: Buffer[], line: number): string {
  const from = line > 0 ? Math.max(0, line - 2) : 0;
  const shown = lines.slice(from, from + 3).map(show);
  if (from > 0) shown.unshift(`… (${from} line${from === 1 ? '' : 's'} before)`);
  const after = lines.length - from - 3;
  if (after > 0) shown.push(`… (${after} more line${after === 1 ? '' : 's'}, ${lines.length} in all)`);
  return shown.join('\n');
}

/** A line as text: invalid UTF-8, a BOM and \r escaped; long lines cut. */
function show(raw: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    text = [...raw].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  }
  text = text.replace(/^\uFEFF/, '\\xEF\\xBB\\xBF').replace(/\r/g, '\\r');
  if (text.length === 0) return '(empty line)';
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${raw.length.toLocaleString('en-US')} bytes)` : text;
}
