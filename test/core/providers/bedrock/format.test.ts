import { describe, expect, it } from 'vitest';
import { prepareExample } from '../../../../src/core/providers/bedrock/format/index.js';
import { findBedrockModel, type BedrockModel } from '../../../../src/core/providers/bedrock/models.js';

const model = (id: string): BedrockModel => {
  const m = findBedrockModel(id);
  if (!m) throw new Error(`no model ${id}`);
  return m;
};
const NOVA = model('amazon.nova-lite-v1:0:300k');
const NOVA2 = model('amazon.nova-2-lite-v1:0:256k');
const CLAUDE = model('anthropic.claude-3-haiku-20240307-v1:0:200k');
const LLAMA31 = model('meta.llama3-1-8b-instruct-v1:0:128k');
const LLAMA32 = model('meta.llama3-2-3b-instruct-v1:0:128k');

const chat = (...messages: Record<string, unknown>[]) => ({ messages });
const sys = { role: 'system', content: 'You answer for a bike shop.' };
const q = { role: 'user', content: 'Do you fix brakes?' };
const a = { role: 'assistant', content: 'Yes, same day.' };

describe('Bedrock training examples from OpenAI chat', () => {
  it('writes Claude: the system prompt as a string, messages with string content', () => {
    const r = prepareExample(CLAUDE, chat(sys, q, a, { role: 'user', content: [{ type: 'text', text: 'And gears?' }] }, { role: 'assistant', content: 'Those too.' }));
    expect(r).toEqual({
      ok: true,
      converted: true,
      notes: [],
      value: { system: 'You answer for a bike shop.', messages: [{ role: 'user', content: 'Do you fix brakes?' }, { role: 'assistant', content: 'Yes, same day.' }, { role: 'user', content: 'And gears?' }, { role: 'assistant', content: 'Those too.' }] },
    });
  });

  it('writes Nova as bedrock-conversation-2024 with text blocks, and tools as toolUse/toolResult', () => {
    const r = prepareExample(NOVA, {
      messages: [
        sys,
        { role: 'user', content: 'Price of a chain?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'price', arguments: '{"item":"chain"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '19 EUR' },
        { role: 'assistant', content: 'A chain is 19 EUR.' },
      ],
      tools: [{ type: 'function', function: { name: 'price', description: 'Look up a price', parameters: { type: 'object', properties: { item: { type: 'string' } } } } }],
    });
    expect(r.ok && r.value).toEqual({
      schemaVersion: 'bedrock-conversation-2024',
      system: [{ text: 'You answer for a bike shop.' }],
      messages: [
        { role: 'user', content: [{ text: 'Price of a chain?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'c1', name: 'price', input: { item: 'chain' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'c1', content: [{ text: '19 EUR' }] } }] },
        { role: 'assistant', content: [{ text: 'A chain is 19 EUR.' }] },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 'price', description: 'Look up a price', inputSchema: { json: { type: 'object', properties: { item: { type: 'string' } } } } } }] },
    });
  });

  it("refuses Nova's reserved words, naming the word and where it is", () => {
    const r = prepareExample(NOVA, chat(q, { role: 'assistant', content: 'Bot: yes we do [EOS]' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([{ field: 'messages[1].content', message: expect.stringContaining('"Bot:"') }]);
    expect(prepareExample(NOVA, chat({ role: 'system', content: 'System: be brief' }, q, a)).ok).toBe(false);
    // Claude has no such words.
    expect(prepareExample(CLAUDE, chat(q, { role: 'assistant', content: 'Bot: yes' })).ok).toBe(true);
  });

  it('refuses tools for Nova 2 and Claude, and images for everyone', () => {
    const withTool = chat(q, { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }, a);
    for (const m of [NOVA2, CLAUDE]) {
      const r = prepareExample(m, withTool);
      expect(!r.ok && r.problems.map((p) => p.message).join(' ')).toMatch(/takes no tool calls/);
    }
    const image = chat({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }, a);
    expect(prepareExample(NOVA, image)).toMatchObject({ ok: false, problems: [{ field: 'messages[0].content[0]', message: expect.stringContaining('"image_url" part cannot be carried') }] });
  });

  it('refuses turn orders Bedrock rejects: assistant first, two users in a row, user last, a late system message', () => {
    const messages = (r: ReturnType<typeof prepareExample>) => (r.ok ? [] : r.problems.map((p) => `${p.field}: ${p.message}`));
    expect(messages(prepareExample(CLAUDE, chat(a, q)))).toEqual([
      'messages[0].role: the first message after the system prompt must be from the user',
      "messages[1].role: the last message must be the assistant's answer",
    ]);
    expect(messages(prepareExample(NOVA, chat(q, q, a)))[0]).toBe('messages[1].role: two user messages in a row: user and assistant must alternate');
    expect(messages(prepareExample(NOVA, chat(q, sys, a)))[0]).toMatch(/^messages\[1\]\.role: a system message after/);
  });

  it('writes Llama 3.1 as prompt/completion, folding the system prompt and refusing more than one turn', () => {
    expect(prepareExample(LLAMA31, chat(sys, q, { ...a, weight: 1 }))).toEqual({
      ok: true,
      converted: true,
      notes: ['weight', 'system folded into prompt'],
      value: { prompt: 'You answer for a bike shop.\n\nDo you fix brakes?', completion: 'Yes, same day.' },
    });
    const multi = prepareExample(LLAMA31, chat(q, a, q, a));
    expect(!multi.ok && multi.problems[0]?.message).toMatch(/one question and one answer/);
    expect(prepareExample(LLAMA32, chat(q, a, q, a)).ok).toBe(true);
  });

  it('checks lines already in the model format as they are', () => {
    const nova = { schemaVersion: 'bedrock-conversation-2024', messages: [{ role: 'user', content: [{ text: 'hi' }] }, { role: 'assistant', content: [{ text: 'hello' }] }] };
    expect(prepareExample(NOVA, nova)).toEqual({ ok: true, value: nova, notes: [], converted: false });
    const badNova = { ...nova, messages: [...nova.messages, { role: 'user', content: [{ text: 'Assistant: hi' }] }] };
    const r = prepareExample(NOVA, badNova);
    expect(!r.ok && r.problems.map((p) => p.field)).toEqual(['messages[2].role', 'messages[2].content[0].text']);
    expect(prepareExample(CLAUDE, { system: 'S', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }).ok).toBe(true);
    expect(prepareExample(CLAUDE, { system: 'S', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', name: 'x' }] })).toMatchObject({ ok: false, problems: [{ field: 'messages[1].name' }] });
    expect(prepareExample(LLAMA31, { prompt: 'q', completion: '' })).toMatchObject({ ok: false, problems: [{ field: 'completion' }] });
    expect(prepareExample(NOVA, { prompt: 'q', completion: 'a' })).toMatchObject({ ok: false, problems: [{ message: expect.stringContaining('bedrock-conversation-2024') }] });
  });
});
