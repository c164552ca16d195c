import { describe, expect, it } from 'vitest';
import { splitJsonArray } from '../../../../src/core/dataset/convert/json-array.js';

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function split(text: string, size = 7, max?: number) {
  const out = [];
  for await (const el of splitJsonArray(chunksOf(text, size), max)) out.push(el);
  return out;
}

describe('splitJsonArray', () => {
  const doc = '\uFEFF[\n  {"a": "x,]}\\"{"},\n  {"b": [1, {"c": "é"}]},\n  "s", 12, null\n]\n';

  it('yields each element with its start line, across any chunk size', async () => {
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const els = await split(doc, size);
      expect(els.map((e) => e.text)).toEqual(['{"a": "x,]}\\"{"}', '{"b": [1, {"c": "é"}]}', '"s"', '12', 'null']);
      expect(els.map((e) => e.line)).toEqual([2, 3, 4, 4, 4]);
      expect(els.map((e) => e.index)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('parses to the same values as JSON.parse of the whole', async () => {
    const els = await split(doc, 5);
    expect(els.map((e) => JSON.parse(e.text ?? ''))).toEqual(JSON.parse(doc.slice(1)));
  });

  it('handles an empty array', async () => {
    expect(await split('[ ]')).toEqual([]);
  });

  it('skips (text undefined) an element over the size cap and goes on', async () => {
    const els = await split(`[{"big": "${'x'.repeat(100)}"}, {"ok": 1}]`, 16, 50);
    expect(els.map((e) => e.text)).toEqual([undefined, '{"ok": 1}']);
  });

  it('reads top-level objects one after another (pretty-printed, or a single one) as elements', async () => {
    expect((await split('{\n  "a": 1\n}\n{"b": [2]}\n')).map((e) => [e.text, e.line, e.index])).toEqual([
      ['{\n  "a": 1\n}', 1, 1],
      ['{"b": [2]}', 4, 2],
    ]);
    await expect(split('{"a": 1}, {"b": 2}')).rejects.toThrow(/a comma between its top-level objects on line 1/);
    await expect(split('{"a": {"b": 1}')).rejects.toThrow(/ends inside JSON object 1/);
  });

  it('refuses a file that is neither an array nor objects, a truncated array, and text after it', async () => {
    await expect(split('"a"\n')).rejects.toThrow(/expected a JSON array/);
    await expect(split('[{"a": 1}, {"b":')).rejects.toThrow(/not closed: the file ends inside element 2 \(line 1\)/);
    await expect(split('[1] x')).rejects.toThrow(/after the closing \]/);
    await expect(split('[{"a":1} {"b":2}]')).rejects.toThrow(/missing comma/);
  });
});
