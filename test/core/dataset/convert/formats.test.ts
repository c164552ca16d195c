import { describe, expect, it } from 'vitest';
import { converters, detectRecordFormat } from '../../../../src/core/dataset/convert/formats/index.js';
import { toOpenAI, withSystem } from '../../../../src/core/dataset/convert/output.js';
import type { ConvertContext } from '../../../../src/core/dataset/convert/types.js';

const noted: string[] = [];
const ctx: ConvertContext = { note: (m) => void noted.push(m) };

describe('record format detection', () => {
  it.each([
    [{ instruction: 'a', input: '', output: 'b' }, 'alpaca'],
    [{ conversations: [{ from: 'human', value: 'hi' }] }, 'sharegpt'],
    [{ messages: [{ role: 'human', content: 'hi' }] }, 'chat'],
    [{ messages: [{ from: 'human', value: 'hi' }] }, 'sharegpt'],
    [{ messages: [{ role: 'user', content: 'hi' }] }, 'chat'],
    [{ prompt: 'p', completion: 'c' }, 'prompt-completion'],
    [{ prompt: 'p', chosen: 'a', rejected: 'b' }, 'preference'],
    [{ input: { messages: [] }, preferred_output: [], non_preferred_output: [] }, 'preference'],
  ])('%j is %s', (record, format) => {
    expect(detectRecordFormat(record)?.format).toBe(format);
  });

  it('recognises nothing in an unrelated object', () => {
    expect(detectRecordFormat({ text: 'hello', label: 'x' })).toBeUndefined();
  });
});

describe('alpaca', () => {
  it('appends input to the user turn and keeps an optional system', () => {
    expect(converters.alpaca.convert({ instruction: 'Translate.', input: 'Hello', output: 'Bonjour', system: 'Be brief.' }, ctx)).toEqual({
      ok: true,
      value: {
        kind: 'chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Translate.\n\nHello' },
          { role: 'assistant', content: 'Bonjour' },
        ],
      },
    });
  });

  it('puts history pairs before the last turn', () => {
    const r = converters.alpaca.convert({ instruction: 'And 3+3?', input: '', output: '6', history: [['2+2?', '4']] }, ctx);
    expect(r.ok && r.value.kind === 'chat' && r.value.messages.map((m) => m.content)).toEqual(['2+2?', '4', 'And 3+3?', '6']);
  });

  it('fails with a reason on an empty instruction or output', () => {
    expect(converters.alpaca.convert({ instruction: ' ', output: 'x' }, ctx)).toEqual({ ok: false, reason: '"instruction" is empty' });
    expect(converters.alpaca.convert({ instruction: 'x', output: '' }, ctx)).toEqual({ ok: false, reason: '"output" is empty' });
  });
});

describe('sharegpt', () => {
  it('maps human/gpt/system to OpenAI roles and adds the top-level system first', () => {
    const r = converters.sharegpt.convert({
      system: 'S',
      conversations: [
        { from: 'human', value: 'q' },
        { from: 'gpt', value: 'a' },
      ],
    }, ctx);
    expect(r).toEqual({ ok: true, value: { kind: 'chat', messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] } });
  });

  it('turns function_call/observation into a tool call and its tool message, and tools into definitions', () => {
    const r = converters.sharegpt.convert({
      tools: JSON.stringify([{ name: 'get_weather', parameters: { type: 'object', properties: {} } }]),
      conversations: [
        { from: 'human', value: 'Weather in Lyon?' },
        { from: 'function_call', value: '{"name": "get_weather", "arguments": {"city": "Lyon"}}' },
        { from: 'observation', value: '{"temp": 11}' },
        { from: 'gpt', value: '11 degrees.' },
      ],
    }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok || r.value.kind !== 'chat') return;
    expect(r.value.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] });
    expect(r.value.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"temp": 11}' });
    expect(r.value.extras).toEqual({ tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }] });
  });

  it('reads the messages/role/content variant', () => {
    const r = converters.sharegpt.convert({ messages: [{ role: 'human', content: 'q' }, { role: 'gpt', content: 'a' }] }, ctx);
    expect(r.ok && r.value.kind === 'chat' && r.value.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('names the turn with an unknown speaker or an observation without a call', () => {
    expect(converters.sharegpt.convert({ conversations: [{ from: 'narrator', value: 'x' }] }, ctx)).toEqual({
      ok: false,
      reason: '"conversations[0]" has an unknown speaker "narrator" (expected human, gpt, system, function_call or observation)',
    });
    expect(converters.sharegpt.convert({ conversations: [{ from: 'observation', value: 'x' }] }, ctx)).toMatchObject({ ok: false, reason: expect.stringContaining('no function call before it') });
  });
});

describe('prompt-completion', () => {
  it('trims the legacy leading space and makes a user/assistant pair', () => {
    expect(converters['prompt-completion'].convert({ prompt: 'Headline:', completion: ' Big news.' }, ctx)).toEqual({
      ok: true,
      value: { kind: 'chat', messages: [{ role: 'user', content: 'Headline:' }, { role: 'assistant', content: 'Big news.' }] },
    });
  });
});

describe('preference', () => {
  it('converts string prompt/chosen/rejected to DPO', () => {
    const r = converters.preference.convert({ prompt: 'Q', chosen: 'good', rejected: 'bad' }, ctx);
    expect(r.ok && (toOpenAI(r.value, 'preference') as { value: unknown }).value).toEqual({
      input: { messages: [{ role: 'user', content: 'Q' }] },
      preferred_output: [{ role: 'assistant', content: 'good' }],
      non_preferred_output: [{ role: 'assistant', content: 'bad' }],
    });
  });

  it('takes the prompt from the chosen conversation when there is no prompt (HH style)', () => {
    const r = converters.preference.convert({
      chosen: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'good' }],
      rejected: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'bad' }],
    }, ctx);
    expect(r.ok && r.value.kind === 'preference' && r.value.prompt).toEqual([{ role: 'user', content: 'Q' }]);
  });

  it('writes the chosen answer when asked for chat', () => {
    const r = converters.preference.convert({ prompt: 'Q', chosen: 'good', rejected: 'bad' }, ctx);
    expect(r.ok && (toOpenAI(r.value, 'chat', 'S') as { value: unknown }).value).toEqual({
      messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }, { role: 'assistant', content: 'good' }],
    });
  });

  it('refuses a chosen list that does not end with the assistant', () => {
    expect(converters.preference.convert({ prompt: 'Q', chosen: [{ role: 'user', content: 'x' }], rejected: 'b' }, ctx)).toEqual({ ok: false, reason: '"chosen" does not end with an assistant message' });
  });
});

describe('chat passthrough and --system', () => {
  it('keeps tools but drops ids and other metadata', () => {
    const r = converters.chat.convert({ id: 7, tools: [], messages: [{ role: 'user', content: 'q' }] }, ctx);
    expect(r.ok && (toOpenAI(r.value, 'chat') as { value: unknown }).value).toEqual({ messages: [{ role: 'user', content: 'q' }], tools: [] });
  });

  it('maps ShareGPT role names in the role/content variant and leaves OpenAI roles alone', () => {
    const r = converters.chat.convert({ messages: [{ role: 'human', content: 'q' }, { role: 'gpt', content: 'a' }, { role: 'tool', tool_call_id: 'c', content: 'x' }] }, ctx);
    expect(r.ok && r.value.kind === 'chat' && r.value.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('replaces the first system message or adds one', () => {
    expect(withSystem([{ role: 'system', content: 'old' }, { role: 'user', content: 'q' }], 'new')).toEqual([{ role: 'system', content: 'new' }, { role: 'user', content: 'q' }]);
    expect(withSystem([{ role: 'user', content: 'q' }], 'new')).toEqual([{ role: 'system', content: 'new' }, { role: 'user', content: 'q' }]);
  });

  it('cannot make a preference pair from chat', () => {
    expect(toOpenAI({ kind: 'chat', messages: [] }, 'preference')).toMatch(/no rejected answer/);
  });
});
