import { CheckFailedError, UsageError } from '../../errors.js';
import { interrupted } from '../convert/interrupt.js';
import { checkOutput } from '../convert/paths.js';
import { DuplicateTracker } from '../duplicates.js';
import { openInput, type DatasetInput, type OpenInputOptions } from '../input/open.js';
import { isObject } from '../kinds.js';
import { readLines } from '../lines.js';
import { openFileSink, type LineSink } from '../output/sink.js';
import { normalizeExample, promptOf, TooDeepError } from './normalize.js';
import { compareRank, SmallestN, splitScore } from './score.js';
import { refuseNotJsonl } from '../not-jsonl.js';

export interface SplitOptions {
  trainOut: string;
  valOut: string;
  /** Share of examples for validation, in (0, 1). Exactly one of fraction and count. */
  fraction?: number;
  /** Exactly this many validation examples (two passes over the file). */
  count?: number;
  seed: string;
  dedupe?: boolean;
  allowLeak?: boolean;
  force?: boolean;
  /** The input is resolved against this folder; `-` reads `stdin` (one pass only: not with `count`). */
  cwd?: string | undefined;
  stdin?: OpenInputOptions['stdin'];
  /** Settings of the provider that owns a URI input's scheme (see OpenInputOptions). */
  settingsFor?: OpenInputOptions['settingsFor'];
  signal?: AbortSignal;
}

/** A validation line and a train line holding the same example (or, for overlaps, the same prompt). */
export interface Leak {
  valLine: number;
  trainLine: number;
}

export interface SplitResult {
  input: string;
  seed: string;
  mode: 'fraction' | 'count';
  requested: number;
  examples: number;
  train: { path: string; examples: number };
  validation: { path: string; examples: number };
  dedupe: { enabled: boolean; dropped: number; lines: { line: number; duplicateOf: number }[] };
  /** The same (normalised) example on both sides: refused unless allowLeak. */
  leaks: { count: number; examples: Leak[] };
  /** The same prompt with different answers on both sides: a warning, never refused. */
  promptOverlaps: { count: number; examples: Leak[] };
  /** False when nothing was written (a leak without --allow-leak). */
  written: boolean;
}

const MAX_KEPT = 50;

/**
 * Deterministic train/validation split. Each example's side comes from `splitScore(seed,
 * normalised example)`: below `fraction` goes to validation; with `count`, a first pass keeps
 * the `count` smallest scores in a bounded heap and the second pass sends exactly those to
 * validation (ties between identical examples broken by line). Memory: the heap (12 bytes per
 * validation example) plus hash tables of 12–24 bytes per distinct example (dedupe, leaks) and
 * per distinct prompt (overlaps).
 * Lines are copied byte for byte; both files appear only if the split succeeds.
 */
export async function splitFile(inputSpec: string, opts: SplitOptions): Promise<SplitResult> {
  if (opts.trainOut === opts.valOut) throw new UsageError('same_outputs', 'the train and validation outputs are the same file', { hint: 'pass different --train-out and --val-out paths' });
  if (inputSpec === '-' && opts.count !== undefined) {
    throw new UsageError('stdin_twice', '--validation-count reads the input twice, and standard input can be read only once', { hint: 'save the data to a file first, or use --validation SHARE' });
  }
  await checkOutput(opts.trainOut, null, opts.force === true);
  await checkOutput(opts.valOut, null, opts.force === true);
  const open = async (): Promise<DatasetInput> => {
    const input = await openInput(inputSpec, { cwd: opts.cwd, signal: opts.signal, stdin: opts.stdin, settingsFor: opts.settingsFor });
    try {
      // UTF-16, binary data, a JSON array, a CSV: one error with the convert command for it.
      refuseNotJsonl(input);
      if (input.path !== null) {
        await checkOutput(opts.trainOut, input.path, opts.force === true);
        await checkOutput(opts.valOut, input.path, opts.force === true);
      }
    } catch (err) {
      await input.close();
      throw err;
    }
    return input;
  };
  let input = await open();

  let isVal: (score: number, line: number) => boolean;
  if (opts.count !== undefined) {
    const heap = new SmallestN(opts.count);
    let examples = 0;
    try {
      for await (const ex of examplesOf(input, opts)) {
        examples++;
        heap.offer(ex.score, ex.line);
      }
    } catch (err) {
      throw interrupted(err, opts.signal);
    } finally {
      await input.close();
    }
    if (opts.count >= examples) {
      throw new UsageError('validation_too_large', `--validation-count ${opts.count} leaves no training examples: the file has ${examples}${opts.dedupe ? ' (after dedupe)' : ''}`, { hint: 'ask for fewer validation examples' });
    }
    const t = heap.threshold();
    isVal = (score, line) => t !== undefined && compareRank(score, line, t.score, t.line) <= 0;
    input = await open();
  } else {
    const fraction = opts.fraction ?? 0.1;
    isVal = (score) => score < fraction;
  }

  const result: SplitResult = {
    input: input.name,
    seed: opts.seed,
    mode: opts.count !== undefined ? 'count' : 'fraction',
    requested: opts.count ?? opts.fraction ?? 0.1,
    examples: 0,
    train: { path: opts.trainOut, examples: 0 },
    validation: { path: opts.valOut, examples: 0 },
    dedupe: { enabled: opts.dedupe === true, dropped: 0, lines: [] },
    leaks: { count: 0, examples: [] },
    promptOverlaps: { count: 0, examples: [] },
    written: false,
  };
  // Example and prompt hashes → first line and side (line × 2, + 1 for validation): a later
  // copy on the other side is a leak (same example) or an overlap (same prompt only).
  const sides = { examples: new DuplicateTracker(), prompts: new DuplicateTracker() };
  let train: LineSink | undefined;
  let val: LineSink | undefined;
  try {
    train = await openFileSink(opts.trainOut);
    val = await openFileSink(opts.valOut);
    for await (const ex of examplesOf(input, opts, result)) {
      result.examples++;
      const toVal = isVal(ex.score, ex.line);
      const tag = ex.line * 2 + (toVal ? 1 : 0);
      const crossed = (first: number): Leak | undefined =>
        first === 0 || (first & 1) === (tag & 1) ? undefined : toVal ? { valLine: ex.line, trainLine: first >>> 1 } : { valLine: first >>> 1, trainLine: ex.line };
      const leak = crossed(sides.examples.seen(Buffer.from(ex.normalized), tag));
      const overlap = crossed(sides.prompts.seen(Buffer.from(ex.prompt), tag));
      if (leak) note(result.leaks, leak);
      else if (overlap) note(result.promptOverlaps, overlap);
      const wait = (toVal ? val : train).write(ex.text);
      if (wait) await wait;
      if (toVal) result.validation.examples++;
      else result.train.examples++;
    }
    if (result.leaks.count > 0 && !opts.allowLeak) {
      await Promise.all([train.abort(), val.abort()]);
      return result;
    }
    await train.commit();
    await val.commit();
    result.written = true;
    return result;
  } catch (err) {
    await Promise.all([train?.abort(), val?.abort()]);
    throw interrupted(err, opts.signal);
  } finally {
    await input.close();
  }
}

interface Example {
  line: number;
  text: string;
  score: number;
  normalized: string;
  prompt: string;
}

function note(list: { count: number; examples: Leak[] }, leak: Leak): void {
  list.count++;
  if (list.examples.length < MAX_KEPT) list.examples.push(leak);
}

/** The file's examples with their scores, after dedupe; invalid JSON stops the split. */
async function* examplesOf(input: DatasetInput, opts: SplitOptions, result?: SplitResult): AsyncGenerator<Example> {
  const dupes = opts.dedupe ? new DuplicateTracker() : undefined;
  const name = input.name;
  for await (const l of readLines(input.path !== null && !input.gzip ? input.path : input.chunks(), { signal: opts.signal })) {
    if (l.blank) continue;
    if (l.text === null) throw new CheckFailedError('line_too_long', `line ${l.line} of ${name} is too long to read`, { hint: 'run `llmgw dataset validate` and fix the file first' });
    if (l.invalidUtf8) throw new CheckFailedError('not_utf8', `line ${l.line} of ${name} is not UTF-8`, { hint: 'convert it to UTF-8 first: `llmgw dataset convert FILE -o data.jsonl --encoding <its encoding>`' });
    let value: unknown;
    try {
      value = JSON.parse(l.text);
    } catch {
      throw new CheckFailedError('invalid_json', `line ${l.line} of ${name} is not valid JSON`, { hint: 'run `llmgw dataset validate` and fix the file first' });
    }
    if (!isObject(value)) throw new CheckFailedError('not_an_object', `line ${l.line} of ${name} is not a JSON object`, { hint: 'run `llmgw dataset validate` and fix the file first' });
    let normalized: string;
    let prompt: string;
    try {
      normalized = normalizeExample(value);
      prompt = promptOf(value);
    } catch (err) {
      if (!(err instanceof TooDeepError)) throw err;
      throw new CheckFailedError('too_deep', `line ${l.line} of ${name} nests JSON more than ${err.limit} levels deep; no training example does`, { hint: 'run `llmgw dataset validate` and fix the file first' });
    }
    if (dupes) {
      const first = dupes.seen(Buffer.from(normalized), l.line);
      if (first !== 0) {
        if (result) {
          result.dedupe.dropped++;
          if (result.dedupe.lines.length < MAX_KEPT) result.dedupe.lines.push({ line: l.line, duplicateOf: first });
        }
        continue;
      }
    }
    yield { line: l.line, text: l.text, score: splitScore(opts.seed, normalized), normalized, prompt };
  }
}
