import { CheckFailedError, UsageError } from '../../errors.js';
import { decodeHead, encodingName, refuseNonText, type Utf8Stats } from '../input/encoding.js';
import { openInput, type DatasetInput, type OpenInputOptions } from '../input/open.js';
import { openFileSink, streamSink, type LineSink, type WriteTarget } from '../output/sink.js';
import type { Finding } from '../safety/scan.js';
import type { ColumnMap } from './csv-map.js';
import { containerOf } from './detect.js';
import { converters, detectRecordFormat } from './formats/index.js';
import { interrupted } from './interrupt.js';
import { ItemConverter, type Outcome } from './item.js';
import { detectLegacyMarkers } from './legacy.js';
import { Notes, type ConvertNote } from './notes.js';
import { checkOutput } from './paths.js';
import { openSource, type ConvertibleItem, type SourceItem, type SourceLoc } from './source.js';
import { loadOutputFormat, passThrough, type FormatWriter, type OutputFormat } from './targets.js';
import { CONTAINERS, isRecord, type Container, type OutputKind, type RecordConverter, type RecordFormat } from './types.js';

export interface ConvertOptions {
  /** A container (csv, tsv, json, jsonl) or a record format to force instead of detecting. */
  from?: Container | RecordFormat | undefined;
  /** The output format (`--to`): chat, preference, or one a provider registered. Default: chat, or preference for preference pairs. */
  to?: string | undefined;
  /** `--model`, for output formats that depend on the base model. */
  model?: string | undefined;
  /** `--encoding`: the input's text encoding (default: UTF-8, strictly). */
  encoding?: string | undefined;
  delimiter?: string | undefined;
  maps?: ColumnMap[] | undefined;
  system?: string | undefined;
  redact?: boolean | undefined;
  force?: boolean | undefined;
  /** `--kto desirable-only`: keep KTO examples marked desirable; without it KTO data is refused. */
  kto?: 'desirable-only' | undefined;
  /** Keep examples with an empty turn (skipped by default). */
  keepEmpty?: boolean | undefined;
  /** The input is resolved against this folder; `-` reads `stdin`. */
  cwd?: string | undefined;
  stdin?: OpenInputOptions['stdin'];
  /** Settings of the provider that owns a URI input's scheme (see OpenInputOptions). */
  settingsFor?: OpenInputOptions['settingsFor'];
  /** Where `-o -` writes. */
  stdout?: WriteTarget | undefined;
  signal?: AbortSignal | undefined;
  onProgress?(p: { items: number; written: number; skipped: number }): void;
}

export interface SkippedItem {
  line: number;
  row: number | null;
  reason: string;
}

export type LocatedFinding = Finding & { line: number; row: number | null };

export interface ConvertResult {
  input: string;
  output: string;
  detected: { container: Container; format: RecordFormat | 'mapped-columns' | 'mapped-fields' | null; forced: boolean; delimiter: string | null; encoding: string; gzip: boolean };
  /** The output format (`--to`). */
  to: string;
  /** The OpenAI kind each example was converted to before the output format took it. */
  kind: OutputKind;
  /** Items read; always `written + skipped`. */
  items: number;
  written: number;
  skipped: number;
  /** The first `MAX_KEPT` skipped items (all are counted). */
  skippedItems: SkippedItem[];
  /** Every change made to the data on the way, counted per kind of change. */
  notes: ConvertNote[];
  safety: { secrets: number; emails: number; redacted: boolean; byKind: Record<string, number>; findings: LocatedFinding[] };
}

/** How many skipped items and safety findings are kept for the report; all are counted. */
export const MAX_KEPT = 100;
/** Items read ahead to tell the record format and the legacy markers before converting. */
const LOOKAHEAD = 100;


/**
 * Streams `input` (a path, `-`, or a registered URI) into `output` (a path, or `-` for `stdout`):
 * detect (or take) the container and record format, convert each record with its format's pure
 * converter, note every change, scan (and optionally redact) secrets, check the OpenAI example
 * with the validate rules, hand it to the output format, and write the line. Items that fail any
 * step are skipped with their line/row and reason. A file output appears only when the run succeeds.
 */
export async function convertFile(inputSpec: string, output: string, opts: ConvertOptions = {}): Promise<ConvertResult> {
  const toStdout = output === '-';
  if (toStdout && opts.stdout === undefined) throw new UsageError('no_stdout', '`-o -` means standard output, which is not available here', { hint: 'pass a file path to -o' });
  const format = opts.to === undefined ? undefined : await loadOutputFormat(opts.to);
  if (format?.model === 'required' && opts.model === undefined) throw new UsageError('missing_model', `--to ${opts.to} needs --model ID: the output depends on the base model`, { hint: `e.g. --to ${opts.to} --model <base model id>` });
  if (opts.model !== undefined && format?.model === undefined) throw new UsageError('unexpected_model', `--model applies only to output formats that depend on the base model, not to --to ${opts.to ?? 'chat'}`, { hint: 'drop --model' });
  const writer = format === undefined ? undefined : await format.create({ model: opts.model });
  const label = opts.encoding === undefined ? 'utf-8' : encodingName(opts.encoding);
  if (!toStdout) await checkOutput(output, null, opts.force === true);
  const input = await openInput(inputSpec, { cwd: opts.cwd, signal: opts.signal, stdin: opts.stdin, settingsFor: opts.settingsFor });
  try {
    if (!toStdout && input.path !== null) await checkOutput(output, input.path, opts.force === true);
    return await convertInput(input, output, { ...opts, encoding: label === 'utf-8' ? undefined : label }, format, writer);
  } catch (err) {
    throw interrupted(err, opts.signal);
  } finally {
    await input.close();
  }
}

async function convertInput(input: DatasetInput, output: string, opts: ConvertOptions, format: OutputFormat | undefined, formatWriter: FormatWriter | undefined): Promise<ConvertResult> {
  const encoding = opts.encoding ?? null;
  const fix = (enc: string): string => `re-run with --encoding ${enc} (or the file's real encoding)`;
  if (encoding === null) refuseNonText(input.head, input.name, fix);
  const forcedContainer = (CONTAINERS as readonly string[]).includes(opts.from ?? '') ? (opts.from as Container) : undefined;
  const forcedFormat = opts.from !== undefined && forcedContainer === undefined ? converters[opts.from as RecordFormat] : undefined;
  const detected = forcedContainer ? { container: forcedContainer, delimiter: forcedContainer === 'tsv' ? '\t' : forcedContainer === 'csv' ? ',' : undefined } : containerOf(decodeHead(input.head, encoding), input.name);
  if (!detected) throw new CheckFailedError('empty_input', `${input.name} is empty: there is nothing to convert`, { hint: 'check the path, and that the export or download finished' });
  const tabular = detected.container === 'csv' || detected.container === 'tsv';
  const maps = opts.maps ?? [];
  const mapped = maps.length > 0;
  const utf8: Utf8Stats = { replacements: 0, firstReplacementAt: 0 };
  // Plain OpenAI chat lines skip the converter once the run is known to pass chat through as it is.
  let plain = false;
  const source = await openSource(input, detected.container, { encoding, delimiter: tabular ? (opts.delimiter ?? detected.delimiter) : undefined, maps: tabular ? maps : undefined, signal: opts.signal, fix, utf8, plain: () => plain });
  const notes = new Notes();
  if (input.gzip && !/\.gz$/i.test(input.name)) notes.add(`${input.name} is gzip-compressed (found from its first bytes) and was read decompressed`, null);
  if (encoding !== null) notes.add(`the input was decoded from ${encoding} into UTF-8`, null);
  for (const n of source.notes) notes.add(n, null);

  const result: ConvertResult = {
    input: input.name,
    output,
    detected: { container: detected.container, format: mapped ? (tabular ? 'mapped-columns' : 'mapped-fields') : (forcedFormat?.format ?? null), forced: opts.from !== undefined, delimiter: tabular ? (opts.delimiter ?? detected.delimiter ?? ',') : null, encoding: encoding ?? 'utf-8', gzip: input.gzip },
    to: opts.to ?? 'chat',
    kind: 'chat',
    items: 0,
    written: 0,
    skipped: 0,
    skippedItems: [],
    notes: [],
    safety: { secrets: 0, emails: 0, redacted: opts.redact === true, byKind: {}, findings: [] },
  };
  let out: { kind: OutputKind; writer: FormatWriter } | undefined;
  /** The OpenAI kind and writer, once the records' kind (`produces`) is known. */
  const decide = (produces: OutputKind, what: string): void => {
    const accepts = format?.accepts ?? [produces];
    const kind = accepts.includes(produces) ? produces : produces === 'preference' && accepts.includes('chat') ? 'chat' : undefined;
    if (kind === undefined) throw new UsageError('cannot_convert', `${what} give chat examples, which have no rejected answer for --to ${opts.to}`, { hint: 'use --to chat, or a preference set (prompt/chosen/rejected)' });
    if (kind !== produces) notes.add('preference pairs written as chat examples: the chosen answer is kept, the rejected one dropped', null);
    out = { kind, writer: formatWriter ?? passThrough };
    result.kind = kind;
    if (opts.to === undefined) result.to = kind;
  };
  const items = new ItemConverter(
    { maps: tabular ? [] : maps, system: opts.system, redact: opts.redact === true, kto: opts.kto, keepEmpty: opts.keepEmpty === true, dir: input.dir, tabular },
    notes,
    (c: RecordConverter) => {
      result.detected.format = c.format;
      decide(c.produces, `${c.format} records`);
    },
    () => out as { kind: OutputKind; writer: FormatWriter },
  );
  if (mapped) decide('chat', tabular ? 'mapped columns' : 'mapped fields');
  else if (forcedFormat) {
    items.converter = forcedFormat;
    decide(forcedFormat.produces, `${forcedFormat.format} records`);
  }

  // Read a few items ahead: the record format (from the first recognisable record) and, for
  // legacy prompt/completion, the separator and stop sequence every record shares. Their bytes
  // are copied: the reader reuses its buffers.
  const it = source.items;
  const ahead: SourceItem[] = [];
  while (ahead.length < LOOKAHEAD) {
    const r = await it.next();
    if (r.done) break;
    for (const item of r.value) ahead.push('raw' in item && item.raw !== undefined ? { ...item, raw: Buffer.from(item.raw) } : item);
  }
  // The first LOOKAHEAD items decide (reads come in whole batches, so `ahead` may hold more).
  const records = ahead.slice(0, LOOKAHEAD).flatMap((a) => ('record' in a && isRecord(a.record) ? [a.record] : []));
  if (!mapped && items.converter === undefined) {
    let found: RecordConverter | undefined;
    for (const r of records) if ((found = detectRecordFormat(r))) break;
    if (found) {
      items.converter = found;
      result.detected.format = found.format;
      decide(found.produces, `${found.format} records`);
    }
  }
  if (items.converter?.format === 'prompt-completion') items.setLegacy(detectLegacyMarkers(records));
  const only = ahead.length === 1 ? ahead[0] : undefined;
  if (only && 'record' in only && detected.container === 'json' && isRecord(only.record) && !mapped && items.converter === undefined) throw singleObject(input.name, only.record);

  // Exactly the runs in which the general path writes a plain line's bytes unchanged.
  // (JSON lines already in OpenAI's chat shape, or table rows by --map; never --map on JSON fields.)
  const sourceIsChat = tabular ? mapped : !mapped && items.converter === converters.chat;
  plain = sourceIsChat && out?.kind === 'chat' && out.writer === passThrough && opts.system === undefined;

  const sink: LineSink = output === '-' ? streamSink(opts.stdout as WriteTarget) : await openFileSink(output);
  const skip = (loc: SourceLoc, reason: string): void => {
    result.skipped++;
    if (result.skippedItems.length < MAX_KEPT) result.skippedItems.push({ line: loc.line, row: loc.row ?? null, reason });
  };
  try {
    for await (const batch of chain(ahead, it)) {
      for (const item of batch) {
        result.items++;
        if (result.items % 5000 === 0) opts.onProgress?.({ items: result.items, written: result.written, skipped: result.skipped });
        if ('plain' in item) {
          const wait = sink.writeBytes(item.plain);
          if (wait) await wait;
          result.written++;
          continue;
        }
        const pending = convertOne(items, item);
        const done = pending instanceof Promise ? await pending : pending;
        if (done.findings.length > 0) recordFindings(result, item.loc, done.findings);
        if ('skip' in done) {
          skip(item.loc, done.skip);
          continue;
        }
        const wait = typeof done.line === 'string' ? sink.write(done.line) : sink.writeBytes(done.line);
        if (wait) await wait;
        result.written++;
      }
    }
    if (utf8.replacements > 0) notes.add(`the input holds ${utf8.replacements} U+FFFD replacement character${utf8.replacements === 1 ? '' : 's'} (first at byte ${utf8.firstReplacementAt}): text damaged by a wrong decoding before this file was written; they were kept`, null, 1);
    result.notes = notes.list();
    if (result.written === 0) {
      const why = result.skippedItems[0] ? ` (first: line ${result.skippedItems[0].line}: ${result.skippedItems[0].reason})` : '';
      throw new CheckFailedError('nothing_converted', `no record could be converted: ${result.skipped} of ${result.items} skipped${why}`, {
        hint: tabular ? 'map the columns with --map column=role' : 'check --from, or map your own keys with --map field=role; run `llmgw dataset convert --help` for the formats',
      });
    }
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  opts.onProgress?.({ items: result.items, written: result.written, skipped: result.skipped });
  return result;
}

/**
 * One item through the converter. JSON nested thousands of levels deep can overflow the stack in
 * the walks over an example (rules, secret scan, serialisation): that item is skipped, never a crash.
 */
function convertOne(items: ItemConverter, item: ConvertibleItem): Outcome | Promise<Outcome> {
  try {
    const pending = items.convert(item);
    return pending instanceof Promise ? pending.catch(tooDeep) : pending;
  } catch (err) {
    return tooDeep(err);
  }
}

function tooDeep(err: unknown): Outcome {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return { skip: 'the record nests JSON too deeply to process (thousands of levels)', findings: [] };
  throw err;
}

async function* chain(first: SourceItem[], rest: AsyncIterator<SourceItem[]>): AsyncGenerator<SourceItem[]> {
  if (first.length > 0) yield first;
  for (;;) {
    const r = await rest.next();
    if (r.done) return;
    yield r.value;
  }
}

/** A file holding one JSON object that is no known example: say exactly what to do. */
function singleObject(name: string, value: unknown): CheckFailedError {
  const keys = isRecord(value) ? Object.keys(value) : [];
  const list = keys.find((k) => isRecord(value) && Array.isArray(value[k]) && (value[k] as unknown[]).every(isRecord));
  const hint = list
    ? `if the examples are the list in "${list}", write them one per line: \`jq -c '.${list}[]' ${name} > examples.jsonl\`, then convert that; or map fields with --map ${list}.0.question=user …`
    : 'a JSON file must hold one example, a list of examples, or examples one after another; pass --map field=role to pick the fields';
  return new CheckFailedError('unrecognised_json', `${name} is one JSON object (keys: ${keys.slice(0, 8).join(', ') || 'none'}), and it is not an example of a known format`, { hint });
}

function recordFindings(result: ConvertResult, loc: SourceLoc, findings: readonly Finding[]): void {
  for (const f of findings) {
    if (f.code === 'possible_secret') result.safety.secrets++;
    else result.safety.emails++;
    result.safety.byKind[f.kind] = (result.safety.byKind[f.kind] ?? 0) + 1;
    if (result.safety.findings.length < MAX_KEPT) result.safety.findings.push({ ...f, line: loc.line, row: loc.row ?? null });
  }
}
