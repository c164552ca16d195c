import { CheckFailedError } from '../../errors.js';

export interface ArrayElement {
  /** The element's JSON text, or undefined when it was larger than `maxElementBytes` (skipped). */
  text: string | undefined;
  /** 1-based line where the element starts, and its 1-based position in the array. */
  line: number;
  index: number;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

type ScanState = 'start' | 'between' | 'element' | 'done';

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Splits a top-level JSON array into its elements without loading the file (or, for a file of
 * top-level objects, pretty-printed one after another or a single one, into those objects): a byte scanner
 * that tracks string/escape state and nesting depth, and keeps only the bytes of the element
 * being read. Each element's text is handed out for `JSON.parse`; memory is bounded by the
 * largest element (capped by `maxElementBytes`, beyond which the element is skipped).
 */
export async function* splitJsonArray(chunks: AsyncIterable<Buffer>, maxElementBytes = 64 * 1024 * 1024): AsyncGenerator<ArrayElement> {
  let state: ScanState = 'start';
  let line = 1;
  let index = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  let startLine = 0;
  let bomAt = 0;
  let expectElement = true;
  /** The file is top-level objects one after another, not an array. */
  let objects = false;

  for await (const chunk of chunks) {
    let elementFrom = -1;
    for (let pos = 0; pos < chunk.length; pos++) {
      const b = chunk[pos] as number;
      // A UTF-8 BOM (EF BB BF) before the array, possibly split across chunks.
      if (bomAt < 3 && b === BOM[bomAt]) {
        bomAt++;
        continue;
      }
      bomAt = 3;
      if (b === NEWLINE) line++;
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
          continue;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if (depth > 0 && (b === CLOSE_BRACE || b === CLOSE_BRACKET)) {
          if (--depth === 0) {
            yield finish(chunk, elementFrom, pos + 1);
            elementFrom = -1;
            state = 'between';
            expectElement = objects;
          }
        } else if (depth === 0 && (b === COMMA || b === CLOSE_BRACKET)) {
          // A scalar element (string, number, literal) ends at the next comma or the closing bracket.
          const el = finish(chunk, elementFrom, pos);
          yield { ...el, text: el.text?.trimEnd() };
          elementFrom = -1;
          state = b === CLOSE_BRACKET ? 'done' : 'between';
          expectElement = b === COMMA;
        }
        continue;
      }
      if (isSpace(b)) continue;
      if (state === 'start') {
        if (b === OPEN_BRACE) objects = true;
        else if (b !== OPEN_BRACKET) throw notAnArray(line);
        state = 'between';
        expectElement = true;
        if (!objects) continue;
      }
      if (objects && state === 'between' && b !== OPEN_BRACE) throw malformed(line, `${b === COMMA ? 'a comma' : 'text'} between its top-level objects`, true);
      if (state === 'done') throw new CheckFailedError('invalid_json_array', `unexpected text after the closing ] on line ${line}`, { hint: 'the file must hold one JSON array' });
      // state === 'between'
      if (b === CLOSE_BRACKET) {
        state = 'done';
        continue;
      }
      if (b === COMMA) {
        if (expectElement) throw malformed(line, 'an empty element (",,") or a leading comma');
        expectElement = true;
        continue;
      }
      if (!expectElement) throw malformed(line, 'a missing comma between elements');
      expectElement = false;
      state = 'element';
      startLine = line;
      index++;
      parts = [];
      size = 0;
      tooBig = false;
      elementFrom = pos;
      depth = 0;
      inString = false;
      escaped = false;
      if (b === QUOTE) inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth = 1;
    }
    if (state === 'element') keep(elementFrom === -1 ? chunk : chunk.subarray(elementFrom));
  }
  // (Cast: TypeScript's narrowing does not see the assignments made inside the loop above.)
  const end = state as ScanState;
  if (end === 'start') throw notAnArray(line);
  if (objects && end === 'element') {
    throw new CheckFailedError('invalid_json', `the file ends inside JSON object ${index} (it starts on line ${startLine})`, { hint: 'the file looks truncated, or a brace is missing; check it with `jq . file`' });
  }
  if (!objects && end !== 'done') throw new CheckFailedError('invalid_json_array', `the JSON array is not closed: the file ends inside ${end === 'element' ? `element ${index} (line ${startLine})` : 'the array'}`, {
    hint: 'the file looks truncated; check the download or export finished',
  });

  function keep(slice: Buffer): void {
    if (tooBig) return;
    size += slice.length;
    if (size > maxElementBytes) {
      tooBig = true;
      parts = [];
      return;
    }
    // Copy: the chunk buffer may be reused by the stream.
    parts.push(Buffer.from(slice));
  }

  function finish(chunk: Buffer, from: number, to: number): ArrayElement {
    keep(chunk.subarray(from === -1 ? 0 : from, to));
    const element: ArrayElement = { text: tooBig ? undefined : Buffer.concat(parts).toString('utf8'), line: startLine, index };
    parts = [];
    return element;
  }
}
function notAnArray(line: number): CheckFailedError {
  return new CheckFailedError('invalid_json_array', `expected a JSON array ([ … ]) or object ({ … }) but line ${line} starts with something else`, {
    hint: 'pass --from jsonl for one JSON object per line, or --from csv/tsv',
  });
}

function malformed(line: number, what: string, objects = false): CheckFailedError {
  return new CheckFailedError(objects ? 'invalid_json' : 'invalid_json_array', `the JSON ${objects ? 'file' : 'array'} has ${what} on line ${line}`, { hint: 'fix the JSON (e.g. run it through `jq .`) and convert again' });
}
