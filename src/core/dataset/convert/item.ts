/**
 * One source item → one output line or a skip with the reason. The record format is decided by
 * the first recognisable record; every change made on the way is noted (see notes.ts), so the
 * report accounts for every dropped key and changed value.
 */
import { UsageError } from '../../errors.js';
import { mayHoldFinding, redactExample, scanExample, type Finding } from '../safety/scan.js';
import { firstError } from './check.js';
import { emptyTurn, removeSdkFields } from './cleanup.js';
import type { ColumnMap } from './csv-map.js';
import { attachImages, ImageCache } from './images.js';
import { mapRecord } from './json-map.js';
import { detectRecordFormat } from './formats/index.js';
import type { Notes } from './notes.js';
import { toOpenAI } from './output.js';
import type { ConvertibleItem, SourceLoc } from './source.js';
import type { FormatWriter } from './targets.js';
import { isRecord, type ChatMessage, type Conversation, type Converted, type ConvertContext, type LegacyMarkers, type OutputKind, type RecordConverter, type SourceRecord } from './types.js';

/** A line to write (text, or the source bytes when nothing changed), or why the item is skipped. */
export type Outcome = { line: string | Buffer; findings: readonly Finding[] } | { skip: string; findings: readonly Finding[] };

export interface ItemOptions {
  maps: readonly ColumnMap[];
  system: string | undefined;
  redact: boolean;
  kto: 'desirable-only' | undefined;
  keepEmpty: boolean;
  /** Folder relative image paths resolve against (null: not a local input). */
  dir: string | null;
  /** Whether the input is a table (for messages). */
  tabular: boolean;
}

/** Keys the driver itself reads (never reported as dropped when it handled them). */
const HANDLED = new Set(['images', 'videos', 'audios', 'label', 'kto_tag']);

const NONE: readonly Finding[] = [];

export class ItemConverter {
  converter: RecordConverter | undefined;
  private readonly images = new ImageCache();
  private loc: SourceLoc = { line: 0 };
  /** Set when the current item was changed on its way (a note was made for it). */
  private changed = false;
  /** Notes made for the current item: each counts once per item. */
  private readonly itemNotes = new Set<string>();
  private readonly ctx: ConvertContext;

  constructor(
    private readonly opts: ItemOptions,
    private readonly notes: Notes,
    /** Decides the OpenAI kind and output writer once the record format is known; throws a UsageError if they cannot fit. */
    private readonly onFormat: (converter: RecordConverter) => void,
    private readonly output: () => { kind: OutputKind; writer: FormatWriter },
  ) {
    this.ctx = { note: (message) => this.note(message) };
  }

  /** The legacy prompt/completion markers found in the first records. */
  setLegacy(markers: LegacyMarkers): void {
    this.ctx.legacy = markers;
  }

  note(message: string): void {
    this.changed = true;
    if (this.itemNotes.has(message)) return;
    this.itemNotes.add(message);
    this.notes.add(message, this.loc);
  }

  /** The format of this record, deciding the file's on the first recognisable one. */
  recognise(record: SourceRecord): RecordConverter | string {
    if (!this.converter) {
      const found = detectRecordFormat(record);
      if (!found) {
        const keys = Object.keys(record).join(', ') || 'none';
        return this.opts.tabular ? `the columns (${keys}) match no known format; map them with --map column=role` : `unrecognised shape (keys: ${keys}); pass --from to name the format, or --map field=role`;
      }
      this.converter = found;
      this.onFormat(found);
    }
    if (this.converter.matches(record)) return this.converter;
    const other = detectRecordFormat(record);
    return other ? `looks like ${other.format}, but the file is ${this.converter.format}` : `not a ${this.converter.format} record (keys: ${Object.keys(record).join(', ') || 'none'})`;
  }

  /** Converts one item: the outcome, or a promise of it when images must be read. */
  convert(item: ConvertibleItem): Outcome | Promise<Outcome> {
    this.loc = item.loc;
    this.changed = false;
    if (this.itemNotes.size > 0) this.itemNotes.clear();
    if ('unreadable' in item) return { skip: item.unreadable, findings: NONE };
    const conv = 'mapped' in item ? item.mapped : this.fromRecord(item.record);
    if (!conv.ok) return { skip: conv.reason, findings: NONE };
    const record = 'record' in item && isRecord(item.record) ? item.record : undefined;
    const media = record && (nonEmpty(record.videos) ? 'videos' : nonEmpty(record.audios) ? 'audios' : undefined);
    if (media) return { skip: `the example has ${media}; OpenAI fine-tuning takes text and images only`, findings: NONE };
    const cleaned = this.clean(conv.value);
    if (typeof cleaned === 'string') return { skip: cleaned, findings: NONE };
    if (record?.images !== undefined && this.opts.maps.length === 0) {
      if (cleaned.kind !== 'chat') return { skip: 'preference pairs are text only, but the record has "images"', findings: NONE };
      return attachImages(cleaned.messages, record.images, this.opts.dir, this.images, (m) => this.note(m)).then((messages) =>
        typeof messages === 'string' ? { skip: messages, findings: NONE } : this.finish({ ...cleaned, messages, same: false }, undefined, undefined),
      );
    }
    return 'record' in item ? this.finish(cleaned, item.text, item.raw) : this.finish(cleaned, undefined, undefined);
  }

  private fromRecord(record: unknown): Converted {
    if (!isRecord(record)) return { ok: false, reason: `not an object (${Array.isArray(record) ? 'an array' : record === null ? 'null' : typeof record})` };
    const label = typeof record.label === 'boolean' ? record.label : typeof record.kto_tag === 'boolean' ? record.kto_tag : undefined;
    if (label !== undefined) {
      const key = typeof record.label === 'boolean' ? 'label' : 'kto_tag';
      if (this.opts.kto !== 'desirable-only') {
        throw new UsageError('kto_data', `the input is KTO data: each example has "${key}": true or false, saying whether its answer is desirable (first at line ${this.loc.line}); converting it as it is would train on the undesirable answers too`, {
          hint: `pass --kto desirable-only to keep only the examples marked true (the others are left out and counted)`,
        });
      }
      if (!label) {
        this.notes.add(`examples marked "${key}": false (undesirable) left out by --kto desirable-only`, this.loc);
        return { ok: false, reason: `undesirable answer ("${key}": false), left out by --kto desirable-only` };
      }
      this.note(`"${key}": true dropped from the examples kept by --kto desirable-only`);
    }
    if (this.opts.maps.length > 0) return mapRecord(record, this.opts.maps, this.ctx);
    const converter = this.recognise(record);
    if (typeof converter === 'string') return { ok: false, reason: converter };
    for (const key in record) if (!converter.uses.includes(key) && !HANDLED.has(key)) this.note(`key ${JSON.stringify(key)} dropped (OpenAI's format has no place for it)`);
    return converter.convert(record, this.ctx);
  }

  /** SDK leftovers removed and empty turns refused (or kept, with --keep-empty). */
  private clean(conv: Conversation): Conversation | string {
    const note = (m: string): void => this.note(m);
    if (conv.kind === 'chat') {
      const messages = removeSdkFields(conv.messages, note);
      const empty = emptyTurn(messages);
      if (empty && !this.keepEmpty(empty)) return `${empty} is empty; pass --keep-empty to keep such examples`;
      return messages === conv.messages ? conv : { ...conv, messages };
    }
    const prompt = removeSdkFields(conv.prompt, note);
    const [chosen, rejected] = removeSdkFields([conv.chosen, conv.rejected], note) as [ChatMessage, ChatMessage];
    const empty = emptyTurn(prompt, 'input.messages');
    if (empty && !this.keepEmpty(empty)) return `${empty} is empty; pass --keep-empty to keep such examples`;
    return prompt === conv.prompt && chosen === conv.chosen && rejected === conv.rejected ? conv : { ...conv, prompt, chosen, rejected };
  }

  private keepEmpty(where: string): boolean {
    if (!this.opts.keepEmpty) return false;
    this.note(`kept an example with an empty turn (${where.replace(/\[\d+\]/, '[…]')}) (--keep-empty)`);
    return true;
  }

  /**
   * The OpenAI example, scanned, checked, and handed to the output format. `text` is the source
   * record's JSON: when it holds no trigger of the secret scan, neither can the example made from
   * its strings, and the walk is skipped. `raw` is a JSON line's bytes, written when nothing changed.
   */
  private finish(conv: Conversation, text: string | undefined, raw: Buffer | undefined): Outcome {
    const { kind, writer } = this.output();
    const example = toOpenAI(conv, kind, this.opts.system);
    if (typeof example === 'string') return { skip: example, findings: NONE };
    const clean = text !== undefined && this.opts.system === undefined && !mayHoldFinding(text);
    let findings: readonly Finding[] = clean ? NONE : scanExample(example.value);
    if (findings.length > 0 && this.opts.redact) {
      example.value = redactExample(example.value);
      this.changed = true;
    }
    const problem = firstError(kind, example.value);
    if (problem) return { skip: problem, findings };
    const result = writer.write(example);
    for (const n of result.notes ?? []) this.note(n);
    if ('skip' in result) return { skip: result.skip, findings };
    if (findings.length === 0) findings = NONE;
    // Unchanged OpenAI data from a JSON line is written as it was read: no second serialisation.
    const same = result.line === example.value && conv.same === true && !this.changed && raw !== undefined && this.opts.system === undefined && conv.kind === kind;
    return { line: same ? (raw as Buffer) : JSON.stringify(result.line), findings };
  }
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';
}
