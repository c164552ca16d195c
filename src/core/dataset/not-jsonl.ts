import { extname } from 'node:path';
import { containerOf } from './convert/detect.js';
import { sniff } from './input/encoding.js';
import type { DatasetInput } from './input/open.js';
import { CheckFailedError } from '../errors.js';
import { type Issue, makeIssue } from './issues.js';

/**
 * One issue for an input that is not JSON Lines at all (CSV or TSV, a JSON array or pretty-printed
 * JSON, UTF-16 text, binary data), so `validate` says what the file is and how to convert it
 * instead of reporting every line; undefined for anything that may be JSONL.
 */
export function notJsonl(file: string, input: DatasetInput): Issue | undefined {
  const at = { file, line: 0 };
  const stem = file.replace(/\.(gz)$/i, '').replace(/\.[^./]+$/, '');
  // Never suggest writing over the input (a one-line JSON array named .jsonl).
  const target = file === '-' || file === 'stdin' ? 'train.jsonl' : `${stem}.jsonl` === file ? `${stem}.converted.jsonl` : `${stem}.jsonl`;
  const s = sniff(input.head);
  if (s.kind === 'utf16') return makeIssue('not_jsonl', at, null, `the file is UTF-16 text (${s.encoding}), not UTF-8`, `convert it: \`llmgw dataset convert ${file} -o ${target} --encoding ${s.encoding}\``);
  if (s.kind === 'binary') return makeIssue('not_jsonl', at, null, `the file is not text: it looks like ${s.what}`, 'export the data as JSONL, CSV or JSON, then run `llmgw dataset convert` on it');
  const head = input.head.toString('utf8');
  const c = containerOf(head, input.name);
  if (c === null || c.container === 'jsonl') return undefined;
  if (c.container === 'json') {
    const text = head.replace(/^\uFEFF/, '').trimStart();
    const array = text.startsWith('[');
    // A JSONL file whose first line happens to be an array is JSONL (validate reports that line).
    const [first, second] = text.split('\n', 2);
    if (array && second !== undefined && second.trim() !== '' && parses(first ?? '')) return undefined;
    return makeIssue('not_jsonl', at, null, `the file is ${array ? 'a JSON array' : 'pretty-printed JSON'}, not JSON Lines (one example per line)`, `convert it: \`llmgw dataset convert ${file} -o ${target}\``);
  }
  const lines = head.replace(/^\uFEFF/, '').split('\n', 3);
  const delimiter = c.delimiter ?? ',';
  const ext = extname(input.name.replace(/\.gz$/i, '')).toLowerCase();
  const tabular = ['.csv', '.tsv', '.tab'].includes(ext) || (lines.length >= 2 && lines.slice(0, 2).every((l) => l.includes(delimiter)));
  if (!tabular) return undefined;
  const columns = (lines[0] ?? '').trim().split(delimiter).slice(0, 6).map((h) => JSON.stringify(h.trim().replace(/^"|"$/g, '')));
  const kind = c.container === 'tsv' ? 'TSV' : 'CSV';
  return makeIssue('not_jsonl', at, null, `the file is ${kind} (columns ${columns.join(', ')}), not JSON Lines`, `convert it, naming the columns: \`llmgw dataset convert ${file} -o ${target} --map <question column>=user --map <answer column>=assistant\``);
}

/**
 * For the verbs that read JSON Lines only (`stats`, `split`): an input that is not JSONL at all
 * is one error saying what it is and the convert command, instead of "no readable example".
 */
export function refuseNotJsonl(input: DatasetInput): void {
  const issue = notJsonl(argOf(input), input);
  if (issue) throw new CheckFailedError('not_jsonl', `${input.name}: ${issue.message}`, { hint: issue.hint });
}

/** How to name the input in a command the user can paste: `-` for standard input. */
export function argOf(input: Pick<DatasetInput, 'name' | 'path' | 'dir'>): string {
  return input.name === 'stdin' && input.path === null && input.dir === null ? '-' : input.name;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
