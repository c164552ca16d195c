/**
 * `validate`: streams a dataset file line by line, parses each line, decides the file's kind,
 * runs every example check, counts tokens (optionally, in worker threads) and applies the
 * file-level checks. Memory is flat in the file size: one chunk and one line at a time, kept
 * issues capped per code, 12-24 bytes per example for duplicates and 4 for token counts.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { BaseModel } from '../models/catalog.js';
import { type BillingEstimate, estimateBilling } from '../models/pricing.js';
import type { TokenPool } from '../tokens/pool.js';
import { DuplicateTracker } from './duplicates.js';
import { type Issue, type IssueCode, type Loc, makeIssue } from './issues.js';
import { type DatasetKind, isObject, KindTracker } from './kinds.js';
import { DEFAULT_MAX_LINE_BYTES, type LineSource, readLineBatches, type RawLine } from './lines.js';
import { openaiProfile, type ValidationProfile } from './profile.js';
import { exampleChecks } from './rules/index.js';
import { type TokenReport, TokenTally } from './token-tally.js';

export interface ValidateOptions {
  /** Relative paths are read from here (reports still name them as given). */
  cwd?: string | undefined;
  /** Check every example as this kind instead of detecting it. */
  kind?: DatasetKind | undefined;
  profile?: ValidationProfile;
  /** The base model: its format decides whether prompt/completion is legacy; its limit and price drive tokens and billing. */
  model?: BaseModel | undefined;
  /** Count tokens with this pool (the caller creates and closes it); no counting when absent. */
  pool?: TokenPool | undefined;
  /** `--epochs`; default: the provider's rule for the file's size. */
  epochs?: number | undefined;
  /** USD per 1M training tokens, overriding the price table. */
  pricePerMillion?: number | undefined;
  maxLineBytes?: number | undefined;
  /** Stop reading a file once it has this many errors. */
  maxErrors?: number | undefined;
  /** Issues kept per code per file (all are counted). Default 100. */
  keepPerCode?: number | undefined;
  /** Warnings make the file invalid too. */
  strict?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface ValidateProgress {
  file: string;
  bytesRead: number;
  /** Size of the file, when known. */
  totalBytes: number | null;
  examples: number;
}

export interface ValidateCallbacks {
  onProgress?(progress: ValidateProgress): void;
}

export interface FileSummary {
  /** Lines that parsed as JSON objects. */
  examples: number;
  lines: number;
  bytes: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface FileReport {
  file: string;
  /** The kind the file was checked as; null when no line was recognisable. */
  kind: DatasetKind | null;
  valid: boolean;
  summary: FileSummary;
  /** Every issue counted, by code (including those not kept). */
  issueCounts: Partial<Record<IssueCode, number>>;
  /** The issues kept (at most `keepPerCode` per code), in line order. */
  issues: Issue[];
  tokens: TokenReport | null;
  billing: BillingEstimate | null;
  /** Set when `maxErrors` stopped the check before the end of the file. */
  stoppedEarly: { afterErrors: number; line: number } | null;
}

const DEFAULT_KEEP_PER_CODE = 100;

/** Validates several files one after another (they share the caller's token pool). */
export async function validateFiles(paths: readonly string[], options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const path of paths) reports.push(await validateFile(path, options, callbacks));
  return reports;
}

/**
 * Checks that `path` is a readable file and returns its size; otherwise throws a UsageError
 * (exit 2) saying why, with the fix.
 */
export async function checkReadable(path: string, cwd?: string): Promise<number> {
  try {
    const full = cwd === undefined ? path : resolve(cwd, path);
    const info = await stat(full);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    await access(full, constants.R_OK);
    return info.size;
  } catch (err) {
    throw unreadable(path, err);
  }
}

/** Validates one file on disk. Missing, unreadable or non-file paths are a UsageError (exit 2). */
export async function validateFile(path: string, options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}): Promise<FileReport> {
  const size = await checkReadable(path, options.cwd);
  try {
    return await validateStream(path, options.cwd === undefined ? path : resolve(options.cwd, path), options, callbacks, size);
  } catch (err) {
    throw unreadable(path, err);
  }
}

/** Validates any line source (a path, a Readable, an async iterable of chunks) under the name `file`. */
export async function validateStream(file: string, source: LineSource, options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}, totalBytes: number | null = null): Promise<FileReport> {
  const run = new FileRun(file, options);
  if (totalBytes !== null && run.profile.maxFileBytes !== undefined && totalBytes > run.profile.maxFileBytes) {
    run.add(makeIssue('file_too_large', { file, line: 0 }, null, `the file is ${formatBytes(totalBytes)}; ${run.profile.name} accepts at most ${formatBytes(run.profile.maxFileBytes)}`));
  }
  const tally = options.pool && options.model ? new TokenTally(options.pool, options.model, file, (issue) => run.add(issue)) : null;
  let bytes = 0;
  let lastLine = 0;
  reading: for await (const batch of readLineBatches(source, { maxLineBytes: options.maxLineBytes, signal: options.signal })) {
    for (const raw of batch.lines) {
      lastLine = raw.line;
      const example = run.line(raw);
      const wait = example !== undefined && tally ? tally.add(raw.line, raw.text ?? '', example) : undefined;
      if (wait) await wait;
      if (run.stopped) break reading;
    }
    bytes = batch.bytesRead;
    callbacks.onProgress?.({ file, bytesRead: bytes, totalBytes, examples: run.examples });
  }
  const tokens = tally ? await tally.finish() : null;
  return run.finish({ bytes: totalBytes ?? bytes, lines: lastLine, tokens });
}

/** The state of one file's check: counters, kept issues, kind, duplicates. */
class FileRun {
  readonly profile: ValidationProfile;
  examples = 0;
  stopped = false;
  private readonly kinds: KindTracker;
  private readonly duplicates = new DuplicateTracker();
  private readonly kept: Issue[] = [];
  private readonly counts: Partial<Record<IssueCode, number>> = {};
  private readonly keepPerCode: number;
  private errors = 0;
  private warnings = 0;
  private infos = 0;
  private crlfLines = 0;
  private stoppedAt = 0;

  constructor(
    readonly file: string,
    private readonly options: ValidateOptions,
  ) {
    this.profile = options.profile ?? openaiProfile;
    this.kinds = new KindTracker(options.kind);
    this.keepPerCode = options.keepPerCode ?? DEFAULT_KEEP_PER_CODE;
  }

  add(issue: Issue): void {
    const count = (this.counts[issue.code] ?? 0) + 1;
    this.counts[issue.code] = count;
    if (issue.severity === 'error') this.errors += 1;
    else if (issue.severity === 'warning') this.warnings += 1;
    else this.infos += 1;
    if (count <= this.keepPerCode) this.kept.push(issue);
    const max = this.options.maxErrors;
    if (max !== undefined && this.errors >= max && !this.stopped) {
      this.stopped = true;
      this.stoppedAt = issue.line;
    }
  }

  /** Checks one line; returns the kind to count its tokens as, or undefined when it is not an example. */
  line(raw: RawLine): DatasetKind | undefined {
    const loc: Loc = { file: this.file, line: raw.line };
    if (raw.crlf) this.crlfLines += 1;
    if (raw.bom) this.add(makeIssue('bom', loc, null, 'the file starts with a UTF-8 byte order mark (EF BB BF)'));
    if (raw.tooLong || raw.text === null) {
      const limit = this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
      this.add(makeIssue('line_too_long', loc, null, `the line is ${formatBytes(raw.bytes)}, over the ${formatBytes(limit)} limit; it was skipped`));
      return undefined;
    }
    if (raw.invalidUtf8) {
      const utf16 = raw.line === 1 && raw.raw !== null && raw.raw.length >= 2 && ((raw.raw[0] === 0xff && raw.raw[1] === 0xfe) || (raw.raw[0] === 0xfe && raw.raw[1] === 0xff));
      if (utf16) this.add(makeIssue('invalid_utf8', loc, null, 'the file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8', 're-encode it as UTF-8 (e.g. `iconv -f utf-16 -t utf-8`); PowerShell redirection writes UTF-16'));
      else this.add(makeIssue('invalid_utf8', loc, null, 'the line has bytes that are not valid UTF-8'));
    }
    if (raw.blank) {
      this.add(makeIssue('blank_line', loc, null, 'the line is empty'));
      return undefined;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw.text);
    } catch (err) {
      this.add(makeIssue('invalid_json', loc, null, `the line is not valid JSON: ${(err as Error).message}`, prettyPrintedHint(raw.text)));
      return undefined;
    }
    if (!isObject(value)) {
      this.add(makeIssue('not_an_object', loc, null, `the line is a JSON ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an object`));
      return undefined;
    }
    this.examples += 1;
    const { checkAs, detected, mixed } = this.kinds.observe(value, raw.line);
    if (detected === 'unknown' && this.kinds.forced === undefined) {
      const keys = Object.keys(value).slice(0, 6).map((k) => JSON.stringify(k));
      this.add(makeIssue('unknown_format', loc, null, `the example has none of the keys of a chat, preference or prompt/completion example (it has ${keys.length > 0 ? keys.join(', ') : 'no keys'})`));
      return undefined;
    }
    if (mixed) {
      const why = this.kinds.forced ? `--kind ${checkAs}` : `line ${this.kinds.decidedAt}`;
      this.add(makeIssue('mixed_kinds', loc, null, `this is a ${detected} example, but the file is ${checkAs} (from ${why})`));
      return undefined;
    }
    for (const check of exampleChecks) for (const issue of check(value, checkAs, loc)) this.add(issue);
    const profileCheck = this.profile.checkExample;
    if (profileCheck) for (const issue of profileCheck(value, checkAs, loc)) this.add(issue);
    if (raw.raw) {
      const first = this.duplicates.seen(raw.raw, raw.line);
      if (first !== 0) this.add(makeIssue('duplicate_example', loc, null, `the example is the same as line ${first}`));
    }
    return checkAs;
  }

  finish(totals: { bytes: number; lines: number; tokens: TokenReport | null }): FileReport {
    const fileLoc: Loc = { file: this.file, line: 0 };
    const kind = this.kinds.kind ?? null;
    if (this.crlfLines > 0) this.add(makeIssue('crlf_line_endings', fileLoc, null, `${this.crlfLines} line${this.crlfLines === 1 ? ' ends' : 's end'} with CRLF`));
    const model = this.options.model;
    if (kind === 'completion' && model?.format !== 'completion') {
      const target = model ? `${model.id} trains on chat examples` : 'current models train on chat examples';
      this.add(makeIssue('legacy_prompt_completion', { file: this.file, line: this.kinds.decidedAt }, null, `the file is in the legacy prompt/completion format; ${target}`));
    }
    if (!this.stopped) {
      const { minExamples, recommendedExamples, name } = this.profile;
      if (this.examples < minExamples) this.add(makeIssue('too_few_examples', fileLoc, null, `the file has ${this.examples} example${this.examples === 1 ? '' : 's'}; ${name} needs at least ${minExamples}`));
      else if (this.examples < recommendedExamples) this.add(makeIssue('below_recommended_examples', fileLoc, null, `the file has ${this.examples} examples; ${name} recommends at least ${recommendedExamples}`));
    }
    const tokens = totals.tokens;
    const billing =
      tokens && model && !this.stopped ? estimateBilling({ model, examples: this.examples, billedTokensPerEpoch: tokens.billedPerEpoch, epochs: this.options.epochs, pricePerMillion: this.options.pricePerMillion }) : null;
    this.kept.sort((a, b) => a.line - b.line);
    return {
      file: this.file,
      kind,
      valid: this.errors === 0 && !(this.options.strict === true && this.warnings > 0),
      summary: { examples: this.examples, lines: totals.lines, bytes: totals.bytes, errors: this.errors, warnings: this.warnings, infos: this.infos },
      issueCounts: this.counts,
      issues: this.kept,
      tokens,
      billing,
      stoppedEarly: this.stopped ? { afterErrors: this.errors, line: this.stoppedAt } : null,
    };
  }
}

/** A line holding only `{` or `[` means pretty-printed JSON rather than JSONL. */
function prettyPrintedHint(text: string): string | undefined {
  const t = text.trim();
  if (t === '{' || t === '[') return `the file looks like pretty-printed JSON; write one compact object per line (e.g. \`jq -c ${t === '[' ? "'.[]'" : '.'} file.json > file.jsonl\`)`;
  return undefined;
}

/** Turns a file-system error into a usage error with a fix (exit 2); anything else is a bug and passes through. */
function unreadable(path: string, err: unknown): unknown {
  if (err instanceof UsageError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UsageError('file_not_found', `cannot read ${path}: no such file`, { hint: 'check the path (it is relative to the current directory)', cause: err });
  if (code === 'EISDIR') return new UsageError('not_a_file', `cannot validate ${path}: it is a directory`, { hint: `pass the JSONL files inside it, e.g. ${path.replace(/\/+$/, '')}/*.jsonl` });
  if (code === 'EACCES' || code === 'EPERM') return new UsageError('permission_denied', `cannot read ${path}: permission denied`, { hint: `make it readable (e.g. chmod u+r ${path})`, cause: err });
  return err;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
