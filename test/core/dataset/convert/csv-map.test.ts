import { describe, expect, it } from 'vitest';
import { mapRow, parseMaps, planMapping } from '../../../../src/core/dataset/convert/csv-map.js';
import { UsageError } from '../../../../src/core/errors.js';

describe('--map parsing and planning', () => {
  it('parses column=role and keeps the order given', () => {
    expect(parseMaps(['question=user', 'a=b=assistant'])).toEqual([
      { column: 'question', role: 'user' },
      { column: 'a=b', role: 'assistant' },
    ]);
  });

  it('rejects a bad role or an empty column name as a usage error', () => {
    expect(() => parseMaps(['question=human'])).toThrow(UsageError);
    expect(() => parseMaps(['=user'])).toThrow(/not field=role/);
  });

  it('never maps the empty-named index column and lists it as unmapped', () => {
    const plan = planMapping(['', 'label', 'text'], parseMaps(['text=user', 'label=assistant']));
    expect(plan.columns).toEqual([
      { column: 'text', role: 'user', index: 2 },
      { column: 'label', role: 'assistant', index: 1 },
    ]);
    expect(plan.unmapped).toEqual([{ index: 0, name: '(no name)' }]);
  });

  it('names the columns that exist when --map names one that does not', () => {
    expect(() => planMapping(['', 'q'], parseMaps(['Q=user']))).toThrow('--map names column "Q", which is not in the header (columns: (no name), "q")');
  });
});

describe('mapRow', () => {
  const plan = planMapping(['sys', 'q1', 'a1', 'q2', 'a2'], parseMaps(['sys=system', 'q1=user', 'a1=assistant', 'q2=user', 'a2=assistant']));

  it('builds turns in --map order and leaves an empty system out', () => {
    expect(mapRow(['', 'hi', 'hello', 'bye', 'ciao'], plan)).toEqual({
      ok: true,
      value: { kind: 'chat', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'bye' }, { role: 'assistant', content: 'ciao' }] },
    });
  });

  it('ends early on trailing empty cells, including cells missing from a short row', () => {
    const r = mapRow(['S', 'hi', 'hello'], plan);
    expect(r.ok && r.value.kind === 'chat' && r.value.messages.length).toBe(3);
  });

  it('skips a row with a gap between turns', () => {
    expect(mapRow(['', 'hi', '', 'bye', 'ciao'], plan)).toEqual({ ok: false, reason: 'column "a1" is empty but a later turn ("q2") is not' });
  });

  it('skips a row whose mapped cells are all empty', () => {
    expect(mapRow(['S', '', '', '', ''], plan)).toEqual({ ok: false, reason: 'every mapped user/assistant cell is empty' });
  });
});
