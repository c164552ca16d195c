import { CheckFailedError, UsageError } from '../../errors.js';
import { createAtomicWriteStream } from '../../fs/atomic.js';
import { redactExample, scanExample, type Finding } from '../safety/scan.js';
import { firstError } from './check.js';
import type { ColumnMap } from './csv-map.js';
import { detectContainer } from './detect.js';
import { interrupted } from './interrupt.js';
import { LineWriter } from './line-writer.js';
import { converters, detectRecordFormat } from './formats/index.js';
import { toOpenAI } from './output.js';
import { checkPaths } from './paths.js';
import { openSource, type SourceItem, type SourceLoc } from './source.js';
import { CONTAINERS, isRecord, type Container, type Converted, type OutputKind, type RecordConverter, type RecordFormat } from './types.js';

export interface ConvertOptions {
  /** A container (csv, tsv, json, jsonl) or a record format to force instead of detecting. */
  from?: Container | RecordFormat;
  to?: OutputKind;
  delimiter?: string;
  maps?: ColumnMap[];
  system?: string;
  redact?: boolean;
  force?: boolean;
  signal?: AbortSignal;
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
  detected: { container: Container; format: RecordFormat | 'mapped-columns' | null; forced: boolean; delimiter: string | null };
  to: OutputKind;
  items: number;
  written: number;
  skipped: number;
  /** The first `MAX_KEPT` skipped items (all are counted). */
  skippedItems: SkippedItem[];
  notes: string[];
  safety: { secrets: number; emails: number; redacted: boolean; byKind: Record<string, number>; findings: LocatedFinding[] };
}

/** How many skipped items and safety findings are kept for the report; all are counted. */
export const MAX_KEPT = 100;

/**
 * Streams `input` into OpenAI JSONL at `output`: detect (or take) the container and record
 * format, convert each record with its format's pure converter, scan (and optionally redact)
 * secrets, check the line with the validate rules, and write it. Items that fail any step are
 * skipped with their line/row and reason. The output appears only when the run succeeds.
 */
export async function convertFile(input: string, output: string, opts: ConvertOptions = {}): Promise<ConvertResult> {
  await checkPaths(input, output, opts.force === true);
  const forcedContainer = (CONTAINERS as readonly string[]).includes(opts.from ?? '') ? (opts.from as Container) : undefined;
  const forcedFormat = opts.from !== undefined && forcedContainer === undefined ? converters[opts.from as RecordFormat] : undefined;
  const detected = forcedContainer ? { container: forcedContainer, delimiter: forcedContainer === 'tsv' ? '\t' : forcedContainer === 'csv' ? ',' : undefined } : await detectContainer(input);
  const tabular = detected.container === 'csv' || detected.container === 'tsv';
  const delimiter = tabular ? (opts.delimiter ?? detected.delimiter ?? ',') : null;
  const mapped = tabular && (opts.maps?.length ?? 0) > 0;
  if (!tabular && (opts.maps?.length ?? 0) > 0) throw new UsageError('map_needs_table', `--map applies to CSV/TSV input, but ${input} is ${detected.container.toUpperCase()}`, { hint: 'drop --map, or pass --from csv if the file is a table' });
  if (forcedFormat?.produces === 'chat' && opts.to === 'preference') {
    throw new UsageError('cannot_convert', `${forcedFormat.format} records have no rejected answers for --to preference`, { hint: 'use --to chat, or a preference set (prompt/chosen/rejected)' });
  }
  if (mapped && opts.to === 'preference') throw new UsageError('cannot_convert', 'mapped CSV columns give chat examples, which have no rejected answer for --to preference', { hint: 'use --to chat, or a table with prompt, chosen and rejected columns (no --map)' });

  const source = await openSource(input, detected.container, { delimiter: delimiter ?? undefined, maps: opts.maps, signal: opts.signal }).catch((err: unknown) => {
    throw interrupted(err, opts.signal);
  });
  const result: ConvertResult = {
    input,
    output,
    detected: { container: detected.container, format: mapped ? 'mapped-columns' : (forcedFormat?.format ?? null), forced: opts.from !== undefined, delimiter },
    to: opts.to ?? forcedFormat?.produces ?? 'chat',
    items: 0,
    written: 0,
    skipped: 0,
    skippedItems: [],
    notes: source.notes,
    safety: { secrets: 0, emails: 0, redacted: opts.redact === true, byKind: {}, findings: [] },
  };
  let converter: RecordConverter | undefined = forcedFormat;
  const skip = (loc: SourceLoc, reason: string): void => {
    result.skipped++;
    if (result.skippedItems.length < MAX_KEPT) result.skippedItems.push({ line: loc.line, row: loc.row ?? null, reason });
  };

  const sink = createAtomicWriteStream(output);
  const writer = new LineWriter(sink.stream);
  try {
    for await (const item of source.items) {
      result.items++;
      if (result.items % 5000 === 0) opts.onProgress?.({ items: result.items, written: result.written, skipped: result.skipped });
      const conv = convertItem(item);
      if (!conv.ok) {
        skip(item.loc, conv.reason);
        continue;
      }
      let value = toOpenAI(conv.value, result.to, opts.system);
      if (typeof value === 'string') {
        skip(item.loc, value);
        continue;
      }
      const findings = scanExample(value);
      if (findings.length > 0) {
        recordFindings(result, item.loc, findings);
        if (opts.redact) value = redactExample(value);
      }
      const problem = firstError(result.to, value);
      if (problem) {
        skip(item.loc, problem);
        continue;
      }
      await writer.write(JSON.stringify(value));
      result.written++;
    }
    await writer.flush();
    if (result.written === 0) {
      const why = result.skippedItems[0] ? ` (first: line ${result.skippedItems[0].line}: ${result.skippedItems[0].reason})` : '';
      throw new CheckFailedError('nothing_converted', `no record could be converted: ${result.skipped} skipped${why}`, {
        hint: result.detected.container === 'csv' || result.detected.container === 'tsv' ? 'map the columns with --map column=role' : 'check --from; run `llmgw dataset convert --help` for the formats',
      });
    }
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw interrupted(err, opts.signal);
  }
  opts.onProgress?.({ items: result.items, written: result.written, skipped: result.skipped });
  return result;

  function convertItem(item: SourceItem): Converted {
    if ('unreadable' in item) return { ok: false, reason: item.unreadable };
    if ('mapped' in item) return item.mapped;
    const record = item.record;
    if (!isRecord(record)) return { ok: false, reason: `not an object (${Array.isArray(record) ? 'an array' : typeof record})` };
    if (!converter) {
      converter = detectRecordFormat(record);
      if (!converter) {
        const keys = Object.keys(record).join(', ') || 'none';
        return { ok: false, reason: tabular ? `the columns (${keys}) match no known format; map them with --map column=role` : `unrecognised shape (keys: ${keys}); pass --from to name the format` };
      }
      result.detected.format = converter.format;
      if (opts.to === undefined) result.to = converter.produces;
      else if (opts.to === 'preference' && converter.produces === 'chat') {
        throw new UsageError('cannot_convert', `the input is ${converter.format}, which has no rejected answers for --to preference`, { hint: 'use --to chat, or a preference set (prompt/chosen/rejected)' });
      }
    }
    if (!converter.matches(record)) {
      const other = detectRecordFormat(record);
      return { ok: false, reason: other ? `looks like ${other.format}, but the file is ${converter.format}` : `not a ${converter.format} record (keys: ${Object.keys(record).join(', ') || 'none'})` };
    }
    return converter.convert(record);
  }
}

function recordFindings(result: ConvertResult, loc: SourceLoc, findings: readonly Finding[]): void {
  for (const f of findings) {
    if (f.code === 'possible_secret') result.safety.secrets++;
    else result.safety.emails++;
    result.safety.byKind[f.kind] = (result.safety.byKind[f.kind] ?? 0) + 1;
    if (result.safety.findings.length < MAX_KEPT) result.safety.findings.push({ ...f, line: loc.line, row: loc.row ?? null });
  }
}
