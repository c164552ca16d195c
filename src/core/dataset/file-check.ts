/**
 * The check of one file, in line order: counts, kept issues (capped per code), the file's kind,
 * duplicates, and the file-level rules once the last line is in. `validate.ts` drives it with
 * batches checked by line-check.ts (on this thread or in workers).
 */
import { listModels } from '../models/catalog.js';
import { estimateBilling } from '../models/pricing.js';
import { DuplicateTracker } from './duplicates.js';
import { type Issue, type IssueCode, type Loc, makeIssue } from './issues.js';
import { type DatasetKind, KindTracker } from './kinds.js';
import { type CheckedBatch, KIND_CODES, LINE, TOKEN_FIELDS } from './line-check.js';
import { openaiProfile, type ValidationProfile } from './profile.js';
import type { TokenReport, TokenTally } from './token-tally.js';
import type { FileReport, ValidateOptions } from './validate.js';

const DEFAULT_KEEP_PER_CODE = 100;
/** Examples reserved for up front at most (the tables still grow past it): ~2M, 25 MB of table. */
export const MAX_RESERVED = 2_000_000;

/** The state of one file's check: counters, kept issues, kind, duplicates. */
export class FileCheck {
  readonly profile: ValidationProfile;
  examples = 0;
  /** The last line merged (where the check stopped, when it stopped early). */
  lastLine = 0;
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
  private imageExamples = 0;
  private firstImageLine = 0;
  private stoppedAt = 0;
  private stoppedAfter = 0;
  /** Set once every line is in: file-level issues never stop a check that already ran to the end. */
  private linesDone = false;
  /** The file was refused whole (not JSONL): no line was checked, so no file-level count applies. */
  private refused = false;

  constructor(
    readonly file: string,
    private readonly options: ValidateOptions,
  ) {
    this.profile = options.profile ?? openaiProfile;
    this.kinds = new KindTracker(options.kind);
    this.keepPerCode = options.keepPerCode ?? DEFAULT_KEEP_PER_CODE;
  }

  /** Refuses the whole file with one issue (see not-jsonl.ts); nothing else is checked. */
  refuse(issue: Issue): void {
    this.refused = true;
    this.add(issue);
  }

  /** Sizes the per-example state for about this many examples (an estimate; more still fit). */
  expectExamples(count: number): void {
    this.duplicates.reserve(Math.min(count, MAX_RESERVED));
  }

  add(found: Issue): void {
    const override = this.profile.severity?.[found.code];
    if (override === 'off') return;
    const issue = override === undefined || override === found.severity ? found : { ...found, severity: override };
    const count = (this.counts[issue.code] ?? 0) + 1;
    this.counts[issue.code] = count;
    if (issue.severity === 'error') this.errors += 1;
    else if (issue.severity === 'warning') this.warnings += 1;
    else this.infos += 1;
    if (count <= this.keepPerCode) this.kept.push(issue);
    const max = this.options.maxErrors;
    if (max !== undefined && this.errors >= max && !this.stopped && !this.linesDone) {
      this.stopped = true;
      this.stoppedAt = issue.line;
      this.stoppedAfter = this.errors;
    }
  }

  /**
   * Takes in one checked batch (see line-check.ts), line by line in file order: the file's kind,
   * mixed kinds, duplicates and token totals are decided here. Stops early (and returns) once
   * `--max-errors` is reached.
   */
  merge(batch: CheckedBatch, tally: TokenTally | null): void {
    const lineIssues = batch.lineIssues;
    const exampleIssues = batch.exampleIssues;
    let li = 0;
    let ei = 0;
    for (let i = 0; i < batch.count && !this.stopped; i++) {
      const line = batch.lines[i] as number;
      this.lastLine = line;
      const flags = batch.flags[i] as number;
      if (flags & LINE.crlf) this.crlfLines += 1;
      while (li < lineIssues.length && (lineIssues[li] as Issue).line === line) this.add(lineIssues[li++] as Issue);
      const first = ei;
      while (ei < exampleIssues.length && (exampleIssues[ei] as Issue).line === line) ei++;
      if ((flags & LINE.object) === 0) continue;
      this.examples += 1;
      if ((flags & LINE.checked) === 0) continue;
      const detected = KIND_CODES[batch.detected[i] as number] ?? 'unknown';
      const { checkAs, mixed } = this.kinds.observeDetected(detected, line);
      if (mixed) {
        const why = this.kinds.forced ? `--kind ${checkAs}` : `line ${this.kinds.decidedAt}`;
        this.add(makeIssue('mixed_kinds', { file: this.file, line }, null, `this is a ${detected} example, but the file is ${checkAs} (from ${why})`));
        continue;
      }
      for (let k = first; k < ei; k++) this.add(exampleIssues[k] as Issue);
      if (flags & LINE.image) {
        this.imageExamples += 1;
        if (this.firstImageLine === 0) this.firstImageLine = line;
      }
      const seen = this.duplicates.insert(batch.hashes[i * 2] as number, batch.hashes[i * 2 + 1] as number, line);
      if (seen !== 0) this.add(makeIssue('duplicate_example', { file: this.file, line }, null, `the example is the same as line ${seen}`));
      if (tally && batch.tokens) {
        const at = i * TOKEN_FIELDS;
        tally.record(line, batch.tokens[at] as number, batch.tokens[at + 1] as number, batch.tokens[at + 2] as number);
      }
    }
  }

  /** Whether the base model trains on this kind of file at all. */
  private checkModelFit(kind: DatasetKind | null): void {
    const model = this.options.model;
    const at: Loc = { file: this.file, line: this.kinds.decidedAt };
    if (kind === 'completion' && model?.format !== 'completion') {
      const target = model ? `${model.id} trains on chat examples` : 'current models train on chat examples';
      this.add(makeIssue('legacy_prompt_completion', at, null, `the file is in the legacy prompt/completion format; ${target}`));
      return;
    }
    if (!model || kind === null || kind === 'completion') return;
    if (model.format === 'completion') {
      this.add(makeIssue('model_cannot_train', at, null, `${model.id} trains only on prompt/completion files, not on ${kind} examples`, 'pick a chat model with --model, e.g. gpt-4.1-mini'));
    } else if (kind === 'preference' && !model.methods.includes('dpo')) {
      const dpo = listModels().filter((m) => m.methods.includes('dpo')).map((m) => m.id);
      this.add(makeIssue('model_cannot_train', at, null, `${model.id} cannot be trained on preference pairs (DPO)`, `pick a model that can with --model: ${dpo.join(', ')}`));
    }
    if (this.imageExamples > 0 && !model.methods.includes('vision')) {
      const vision = listModels().filter((m) => m.methods.includes('vision')).map((m) => m.id);
      const count = `${this.imageExamples} example${this.imageExamples === 1 ? ' has' : 's have'} images`;
      this.add(makeIssue('model_cannot_train', { file: this.file, line: this.firstImageLine }, null, `${model.id} cannot be trained on images (${count}, the first on this line)`, `pick a vision model with --model (${vision.join(', ')}), or remove the images`));
    }
  }

  finish(totals: { bytes: number; lines: number; tokens: TokenReport | null }): FileReport {
    this.linesDone = true;
    const fileLoc: Loc = { file: this.file, line: 0 };
    const kind = this.kinds.kind ?? null;
    if (this.crlfLines > 0) this.add(makeIssue('crlf_line_endings', fileLoc, null, `${this.crlfLines} line${this.crlfLines === 1 ? ' ends' : 's end'} with CRLF`));
    const model = this.options.model;
    this.checkModelFit(kind);
    if (!this.stopped && !this.refused) {
      const { minExamples, recommendedExamples, name } = this.profile;
      if (this.examples < minExamples) this.add(makeIssue('too_few_examples', fileLoc, null, `the file has ${this.examples} example${this.examples === 1 ? '' : 's'}; ${name} needs at least ${minExamples}`));
      else if (this.examples < recommendedExamples) this.add(makeIssue('below_recommended_examples', fileLoc, null, `the file has ${this.examples} examples; ${name} recommends at least ${recommendedExamples}`));
    }
    const tokens = totals.tokens;
    const billing =
      tokens && model && !this.stopped && !(model.epochsUnknown === true && this.options.epochs === undefined) ? estimateBilling({ model, examples: this.examples, billedTokensPerEpoch: tokens.billedPerEpoch, epochs: this.options.epochs, pricePerMillion: this.options.pricePerMillion }) : null;
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
      stoppedEarly: this.stopped ? { afterErrors: this.stoppedAfter, line: this.stoppedAt } : null,
    };
  }
}

export { formatBytes } from './format.js';
