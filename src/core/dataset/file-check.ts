/**
 * The check of one file, line by line: counts, kept issues (capped per code), the file's kind,
 * duplicates, and the file-level rules once the last line is in. `validate.ts` drives it.
 */
import { listModels } from '../models/catalog.js';
import { estimateBilling } from '../models/pricing.js';
import { DuplicateTracker } from './duplicates.js';
import { type Issue, type IssueCode, type Loc, makeIssue } from './issues.js';
import { type DatasetKind, isObject, KindTracker } from './kinds.js';
import { DEFAULT_MAX_LINE_BYTES, type RawLine } from './lines.js';
import { openaiProfile, type ValidationProfile } from './profile.js';
import { hasImagePart } from './rules/chat.js';
import { exampleChecks } from './rules/index.js';
import type { TokenReport } from './token-tally.js';
import type { FileReport, ValidateOptions } from './validate.js';

const DEFAULT_KEEP_PER_CODE = 100;

/** The state of one file's check: counters, kept issues, kind, duplicates. */
export class FileCheck {
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
  private imageExamples = 0;
  private firstImageLine = 0;
  private stoppedAt = 0;
  private stoppedAfter = 0;
  /** Set once every line is in: file-level issues never stop a check that already ran to the end. */
  private linesDone = false;

  constructor(
    readonly file: string,
    private readonly options: ValidateOptions,
  ) {
    this.profile = options.profile ?? openaiProfile;
    this.kinds = new KindTracker(options.kind);
    this.keepPerCode = options.keepPerCode ?? DEFAULT_KEEP_PER_CODE;
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
    for (const check of exampleChecks) for (const issue of check(value, checkAs, loc, raw.text)) this.add(issue);
    const profileCheck = this.profile.checkExample;
    if (profileCheck) for (const issue of profileCheck(value, checkAs, loc)) this.add(issue);
    // The walk over the messages first: it is far cheaper than a substring search of the line.
    if (checkAs === 'chat' && hasImagePart(value) && raw.text.includes('image_url')) {
      this.imageExamples += 1;
      if (this.firstImageLine === 0) this.firstImageLine = raw.line;
    }
    if (raw.raw) {
      const first = this.duplicates.seen(raw.raw, raw.line);
      if (first !== 0) this.add(makeIssue('duplicate_example', loc, null, `the example is the same as line ${first}`));
    }
    return checkAs;
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
      stoppedEarly: this.stopped ? { afterErrors: this.stoppedAfter, line: this.stoppedAt } : null,
    };
  }
}

/** A line holding only `{` or `[` means pretty-printed JSON rather than JSONL. */
function prettyPrintedHint(text: string): string | undefined {
  const t = text.trim();
  if (t === '{' || t === '[') return `the file looks like pretty-printed JSON; write one compact object per line (e.g. \`jq -c ${t === '[' ? "'.[]'" : '.'} file.json > file.jsonl\`)`;
  return undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
