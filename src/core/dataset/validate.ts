/**
 * `validate`: streams a dataset file line by line, parses each line, decides the file's kind,
 * runs every example check, counts tokens (optionally, in worker threads) and applies the
 * file-level checks. Memory is flat in the file size: one chunk and one line at a time, kept
 * issues capped per code, 12-24 bytes per example for duplicates and 4 for token counts.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BaseModel } from '../models/catalog.js';
import type { BillingEstimate } from '../models/pricing.js';
import type { TokenPool } from '../tokens/pool.js';
import { FileCheck, formatBytes } from './file-check.js';
import { openInput, openStream, unreadable, type DatasetInput, type OpenInputOptions } from './input/open.js';
import { notJsonl } from './not-jsonl.js';
import { type Issue, type IssueCode, makeIssue } from './issues.js';
import type { DatasetKind } from './kinds.js';
import { isRegisteredProfile, type LineCheckOptions } from './line-check.js';
import type { LineSource } from './lines.js';
import { checkInThread, checkInWorkers } from './pipeline.js';
import type { ValidationProfile } from './profile.js';
import { type TokenReport, TokenTally } from './token-tally.js';
import { isRemoteSpec } from './input/schemes.js';

export { formatBytes } from './file-check.js';
export { checksPlainLines } from './line-check.js';

export interface ValidateOptions {
  /** Relative paths are read from here (reports still name them as given). */
  cwd?: string | undefined;
  /** Check every example as this kind instead of detecting it. */
  kind?: DatasetKind | undefined;
  profile?: ValidationProfile;
  /** The base model: its format decides whether prompt/completion is legacy; its limit and price drive tokens and billing. */
  model?: BaseModel | undefined;
  /**
   * Worker threads for the per-line work (the caller creates and closes the pool). Tokens are
   * counted when a pool and a model are given, unless `tokens` is false; without a pool every
   * line is checked on the calling thread and no tokens are counted.
   */
  pool?: TokenPool | undefined;
  /** Set false to use the pool's threads for checking only (`--no-tokens` on a large file). */
  tokens?: boolean | undefined;
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
  /** What `-` reads. */
  stdin?: OpenInputOptions['stdin'];
  /** Settings of the provider that owns a URI input's scheme (see OpenInputOptions). */
  settingsFor?: OpenInputOptions['settingsFor'];
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

/**
 * Files smaller than this in all are checked on the calling thread when tokens are not counted:
 * starting a worker costs ~50 ms of CPU and its code runs cold. Measured on two cores, one
 * worker plus the calling thread lost to the calling thread alone at 20 MB (220 vs 160 ms) and
 * drew level near 50 MB.
 */
export const WORKERS_MIN_BYTES = 48 * 1024 * 1024;

/**
 * The same when plain chat lines are checked from their bytes (no profile rule, no kind but chat
 * forced: line-check.ts plainLine). Such lines cost the calling thread about what the bare
 * split + JSON.parse loop costs, less than packing them for a worker: on two cores the calling
 * thread alone won at 100 MB (0.37-0.41 s against 0.48-0.53), drew level at 300 MB (1.12-1.26 s
 * against 1.09-1.16) and lost at 1 GB (3.19 against 2.61-2.72).
 */
export const PLAIN_WORKERS_MIN_BYTES = 256 * 1024 * 1024;

/**
 * How many worker threads a run should start, given the CPU count (`cores`). Counting tokens is
 * the work: one worker per core, and this thread only reads and merges. Without counting, this
 * thread checks lines too whenever the workers are busy, so it takes one core itself; and a
 * small run starts none. `plainLines`: whether plain chat lines may be checked from their bytes.
 */
export function defaultValidateThreads(totalBytes: number, countTokens: boolean, cores: number, plainLines = false): number {
  if (countTokens) return cores;
  if (totalBytes < (plainLines ? PLAIN_WORKERS_MIN_BYTES : WORKERS_MIN_BYTES)) return 0;
  return Math.max(0, cores - 1);
}

/** Validates several files one after another (they share the caller's token pool). */
export async function validateFiles(paths: readonly string[], options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const path of paths) reports.push(await validateFile(path, options, callbacks));
  return reports;
}

/**
 * Checks that `path` is a readable file and returns its size; otherwise throws a UsageError
 * (exit 2) saying why, with the fix. `-` (stdin) and URIs are opened later: their size is null.
 */
export async function checkReadable(path: string, cwd?: string): Promise<number | null> {
  if (path === '-' || isRemoteSpec(path)) return null;
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

/**
 * Validates one input: a path, `-` (options.stdin) or a registered URI. Missing, unreadable or
 * non-file paths are a UsageError (exit 2).
 */
export async function validateFile(path: string, options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}): Promise<FileReport> {
  let input: DatasetInput;
  try {
    input = await openInput(path, { cwd: options.cwd, signal: options.signal, stdin: options.stdin, settingsFor: options.settingsFor });
  } catch (err) {
    throw unreadable(path, err);
  }
  try {
    return await validateInput(path === '-' ? input.name : path, input, options, callbacks);
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await input.close();
  }
}

/**
 * Validates any line source (a path, a Readable, an async iterable of chunks) under the name `file`.
 * The chunks of a stream must not be reused once yielded: lines are read from them a little later.
 */
export async function validateStream(file: string, source: LineSource, options: ValidateOptions = {}, callbacks: ValidateCallbacks = {}, totalBytes: number | null = null): Promise<FileReport> {
  const input = typeof source === 'string' ? await openInput(source, { signal: options.signal, settingsFor: options.settingsFor }) : await openStream(source, file, totalBytes);
  try {
    return await validateInput(file, input, options, callbacks, totalBytes ?? input.size);
  } finally {
    await input.close();
  }
}

/** Checks an opened input: refused whole when it is not JSON Lines at all (CSV, a JSON array, binary…). */
async function validateInput(file: string, input: DatasetInput, options: ValidateOptions, callbacks: ValidateCallbacks, totalBytes: number | null = input.size): Promise<FileReport> {
  const refused = notJsonl(file, input);
  if (refused) {
    const run = new FileCheck(file, options);
    run.refuse(refused);
    return run.finish({ bytes: totalBytes ?? input.head.length, lines: 0, tokens: null });
  }
  const first = input.gzip ? [makeIssue('compressed_file', { file, line: 0 }, null, `the file is gzip-compressed; its content was checked decompressed, but providers take plain JSONL`, `decompress it before uploading (e.g. \`gunzip -k ${file}\`)`)] : [];
  const source = input.path !== null && !input.gzip ? input.path : input.chunks();
  return checkLines(file, source, options, callbacks, totalBytes, first, (n) => input.storedBytesRead(n));
}

async function checkLines(file: string, source: LineSource, options: ValidateOptions, callbacks: ValidateCallbacks, totalBytes: number | null, first: Issue[], stored: (decoded: number) => number): Promise<FileReport> {
  const run = new FileCheck(file, options);
  for (const issue of first) run.add(issue);
  if (totalBytes !== null && run.profile.maxFileBytes !== undefined && totalBytes > run.profile.maxFileBytes) {
    run.add(makeIssue('file_too_large', { file, line: 0 }, null, `the file is ${formatBytes(totalBytes)}; ${run.profile.name} accepts at most ${formatBytes(run.profile.maxFileBytes)}`));
  }
  const model = options.model;
  const counting = model !== undefined && options.pool !== undefined && options.tokens !== false;
  const tally = counting ? new TokenTally(model, file, (issue) => run.add(issue)) : null;
  const checkOptions: LineCheckOptions = {
    file,
    forced: options.kind,
    profile: run.profile.checkExample === undefined && run.profile.readExample === undefined ? undefined : run.profile.name,
    profileModel: run.profile.model,
    encoding: counting ? model.encoding : null,
    maxLineBytes: options.maxLineBytes,
  };
  const reader = { maxLineBytes: options.maxLineBytes, signal: options.signal };
  let sized = false;
  const progress = (decoded: number, linesRead: number): void => {
    const bytesRead = stored(decoded);
    // From the file's size and its first lines, the number of lines to expect: the per-example
    // tables are sized once instead of doubling (see DuplicateTracker.reserve).
    if (!sized && totalBytes !== null && bytesRead > 0 && linesRead > 0) {
      sized = true;
      const expected = Math.ceil((totalBytes / bytesRead) * linesRead * 1.1);
      run.expectExamples(expected);
      tally?.expectExamples(expected);
    }
    callbacks.onProgress?.({ file, bytesRead, totalBytes, examples: run.examples });
  };
  // A profile whose rule a worker cannot look up by name (one made by the caller) is checked here.
  const pool = options.pool && options.pool.threads > 0 && (checkOptions.profile === undefined || isRegisteredProfile(run.profile)) ? options.pool : undefined;
  const bytes = pool ? await checkInWorkers(source, reader, pool, checkOptions, run, tally, progress) : await checkInThread(source, reader, checkOptions, run, tally, progress);
  return run.finish({ bytes: totalBytes ?? bytes, lines: run.lastLine, tokens: tally ? tally.finish() : null });
}
