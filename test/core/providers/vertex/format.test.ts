import { describe, expect, it } from 'vitest';
import { chatToGemini, geminiShape, preferenceToGemini, toGemini } from '../../../../src/core/providers/vertex/format/index.js';

const lineOf = (r: ReturnType<typeof toGemini>): Record<string, unknown> => {
  if (!('line' in r)) throw new Error(`skipped: ${r.skip}`);
  return r.line as unknown as Record<string, unknown>;
};

describe('OpenAI chat → Vertex supervised tuning example', () => {
  it('moves system messages into systemInstruction and renames assistant to model', () => {
    const r = chatToGemini({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
      ],
    });
    expect(lineOf(r)).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'Hello.' }] },
      ],
    });
    expect(r.notes).toEqual([]);
  });

  it('turns images given by https or gs:// URLs into fileData with their MIME type', () => {
    const r = chatToGemini({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a/bike.JPG?x=1' } },
            { type: 'image_url', image_url: { url: 'gs://bucket/pics/wheel.png' } },
          ],
        },
        { role: 'assistant', content: 'A bike.' },
      ],
    });
    expect((lineOf(r).contents as unknown[])[0]).toEqual({
      role: 'user',
      parts: [{ text: 'What is this?' }, { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/a/bike.JPG?x=1' } }, { fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/pics/wheel.png' } }],
    });
  });

  it('skips inline images and images of unknown type, saying why', () => {
    const inline = chatToGemini({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }, { role: 'assistant', content: 'x' }] });
    expect(inline).toMatchObject({ skip: expect.stringContaining('gs:// URL') });
    const unknown = chatToGemini({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/img?id=3' } }] }, { role: 'assistant', content: 'x' }] });
    expect(unknown).toMatchObject({ skip: expect.stringContaining('image type cannot be told') });
  });

  it('turns tools, tool calls and tool results into declarations, functionCall and functionResponse parts', () => {
    const r = chatToGemini({
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_sku',
            description: 'Look up a SKU',
            strict: true,
            parameters: { type: 'object', properties: { name: { type: ['string', 'null'] }, size: { type: 'integer', minimum: 1 } }, required: ['name'], additionalProperties: false },
          },
        },
      ],
      messages: [
        { role: 'user', content: 'SKU of the Pixel?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_sku', arguments: '{"name":"Pixel"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sku":"P-1"}' },
        { role: 'tool', tool_call_id: 'call_1', content: 'second answer' },
        { role: 'assistant', content: 'It is P-1.' },
      ],
    });
    const line = lineOf(r);
    expect(line.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_sku',
            description: 'Look up a SKU',
            parameters: { type: 'OBJECT', properties: { name: { type: 'STRING', nullable: true }, size: { type: 'INTEGER', minimum: 1 } }, required: ['name'] },
          },
        ],
      },
    ]);
    expect(line.contents).toEqual([
      { role: 'user', parts: [{ text: 'SKU of the Pixel?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_sku', args: { name: 'Pixel' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_sku', response: { sku: 'P-1' } } }, { functionResponse: { name: 'get_sku', response: { content: 'second answer' } } }] },
      { role: 'model', parts: [{ text: 'It is P-1.' }] },
    ]);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('strict'), expect.stringContaining('additionalProperties'), expect.stringContaining('merged')]));
  });

  it('merges consecutive turns of the same role and says so', () => {
    const r = chatToGemini({ messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }] });
    expect(lineOf(r).contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }] },
    ]);
    expect(r.notes).toEqual([expect.stringContaining('merged')]);
  });

  it('reports weight, name and audio, which have no Gemini equivalent', () => {
    const r = chatToGemini({
      messages: [
        { role: 'user', name: 'ann', content: 'a' },
        { role: 'assistant', content: 'b', weight: 0 },
        { role: 'user', content: 'c' },
        { role: 'assistant', content: 'd', weight: 1, audio: { id: 'audio_1' } },
      ],
    });
    expect(lineOf(r).contents).toHaveLength(4);
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringContaining('`name`'), expect.stringContaining('weight: 0'), expect.stringContaining('`weight`'), expect.stringContaining('audio')]));
    expect(r.notes).toHaveLength(4);
  });

  it('skips examples it cannot represent: unknown tool call ids, non-object arguments, audio input, no final assistant turn', () => {
    const cases = [
      { messages: [{ role: 'user', content: 'a' }, { role: 'tool', tool_call_id: 'nope', content: 'x' }, { role: 'assistant', content: 'b' }] },
      { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1,2]' } }] }] },
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }, { role: 'assistant', content: 'b' }] },
      { messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] },
    ];
    const reasons = cases.map((c) => chatToGemini(c)).map((r) => ('skip' in r ? r.skip : 'converted'));
    expect(reasons[0]).toContain('no earlier assistant turn');
    expect(reasons[1]).toContain('not an object');
    expect(reasons[2]).toContain('audio');
    expect(reasons[3]).toContain('does not end with an assistant turn');
  });
});

describe('OpenAI preference pair → Vertex preference example', () => {
  it('scores the preferred completion 1 and the other 0, the prompt ending with a user turn', () => {
    const r = preferenceToGemini({
      input: { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'Q' }] },
      preferred_output: [{ role: 'assistant', content: 'good' }],
      non_preferred_output: [{ role: 'assistant', content: 'bad' }],
    });
    expect(lineOf(r)).toEqual({
      systemInstruction: { parts: [{ text: 'S' }] },
      contents: [{ role: 'user', parts: [{ text: 'Q' }] }],
      completions: [
        { score: 1, completion: { role: 'model', parts: [{ text: 'good' }] } },
        { score: 0, completion: { role: 'model', parts: [{ text: 'bad' }] } },
      ],
    });
  });

  it('refuses tools and images, which Vertex preference data cannot hold', () => {
    const tools = preferenceToGemini({ input: { messages: [{ role: 'user', content: 'Q' }], tools: [] }, preferred_output: [{ role: 'assistant', content: 'a' }], non_preferred_output: [{ role: 'assistant', content: 'b' }] });
    expect(tools).toMatchObject({ skip: expect.stringContaining('tools') });
    const image = preferenceToGemini({
      input: { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'gs://b/x.png' } }] }] },
      preferred_output: [{ role: 'assistant', content: 'a' }],
      non_preferred_output: [{ role: 'assistant', content: 'b' }],
    });
    expect(image).toMatchObject({ skip: expect.stringContaining('text only') });
  });
});

describe('toGemini', () => {
  it('passes Vertex lines through and tells the shapes apart', () => {
    const vertex = { contents: [{ role: 'user', parts: [{ text: 'a' }] }, { role: 'model', parts: [{ text: 'b' }] }] };
    expect(toGemini(vertex)).toEqual({ line: vertex, notes: [] });
    expect(geminiShape({ contents: [], completions: [] })).toBe('gemini-preference');
    expect(geminiShape({ input: {} })).toBe('openai-preference');
    expect(toGemini({ prompt: 'x' })).toMatchObject({ skip: expect.any(String) });
  });
});

describe('dataset convert --to gemini', () => {
  it('is a registered output format that writes Vertex lines and passes notes and skips on', async () => {
    const { loadOutputFormat, outputFormatNames } = await import('../../../../src/core/dataset/convert/targets.js');
    expect(outputFormatNames()).toContain('gemini');
    const format = await loadOutputFormat('gemini');
    expect(format.accepts).toEqual(['chat', 'preference']);
    const writer = await format.create({});
    expect(writer.write({ kind: 'chat', value: { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello', weight: 1 }] } })).toEqual({
      line: { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }, { role: 'model', parts: [{ text: 'Hello' }] }] },
      notes: [expect.stringContaining('`weight`')],
    });
    const pair = { input: { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'gs://b/x.png' } }] }] }, preferred_output: [{ role: 'assistant', content: 'a' }], non_preferred_output: [{ role: 'assistant', content: 'b' }] } as const;
    expect(writer.write({ kind: 'preference', value: pair as never })).toMatchObject({ skip: expect.stringContaining('text only') });
  });
});

describe('the fast path for plain chat examples', () => {
  it('writes the same bytes as the general converter, and leaves everything else to it', async () => {
    const { fastGeminiLine } = await import('../../../../src/core/providers/vertex/format/fast.js');
    const plain = [
      { messages: [{ role: 'system', content: 'S "quoted"\n' }, { role: 'developer', content: 'D' }, { role: 'user', content: 'héllo 😀' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'b' }, { role: 'assistant', content: 'c' }] },
      { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] },
    ];
    for (const example of plain) {
      const general = chatToGemini(example);
      expect(fastGeminiLine(example)).toBe(JSON.stringify('line' in general ? general.line : null));
    }
    const others = [
      { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', weight: 0 }] },
      { messages: [{ role: 'user', content: 'q' }, { role: 'user', content: 'q2' }, { role: 'assistant', content: 'a' }] },
      { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }, { role: 'system', content: 'late' }] },
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }, { role: 'assistant', content: 'a' }] },
      { messages: [{ role: 'user', content: 'q' }] },
      { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], tools: [] },
    ];
    for (const example of others) expect(fastGeminiLine(example)).toBeUndefined();
  });

  it("copying content literals from the line as read gives the general converter's bytes, whatever the escapes, spacing, key order or encoding", async () => {
    const { writeFastGemini } = await import('../../../../src/core/providers/vertex/format/fast.js');
    const lines = [
      String.raw`{"messages":[{"role":"user","content":"plain"},{"role":"assistant","content":"answer"}]}`,
      // Escapes JSON.stringify writes the same way are copied; \u and \/ are written by JSON.stringify.
      String.raw`{"messages":[{"role":"user","content":"caf\u00e9 \/ slash"},{"role":"assistant","content":"tab\there \"q\" back\\slash\nline"}]}`,
      String.raw`{"messages":[{"content":"sys","role":"system"},{"role":"user","content":"ctl \u001f end"},{"role":"assistant","content":"\ud83d\ude00 emoji"}]}`,
      String.raw`{ "messages" : [ {"role":"user", "content":"a\\"} , {"content":"b\\\"","role":"assistant"} ] }`,
      // A duplicate key puts the literals elsewhere: nothing is copied.
      String.raw`{"messages":[{"role":"user","role":"user","content":"dup"},{"role":"assistant","content":"x"}]}`,
      '\ufeff{"messages":[{"role":"user","content":"😀 ü 你好"},{"role":"assistant","content":"ok"}]}\r',
    ];
    const invalidUtf8 = Buffer.concat([Buffer.from('{"messages":[{"role":"user","content":"bad '), Buffer.from([0xff]), Buffer.from('"},{"role":"assistant","content":"ok"}]}')]);
    for (const raw of [...lines.map((l) => Buffer.from(l)), invalidUtf8]) {
      const text = raw.toString('utf8').trim();
      const general = chatToGemini(JSON.parse(text));
      const chunks: Buffer[] = [];
      let copied = 0;
      const sink = { ascii: (f: Buffer) => chunks.push(Buffer.from(f)), json: (s: string) => chunks.push(Buffer.from(JSON.stringify(s))), copy: (b: Buffer, a: number, e: number) => (copied++, chunks.push(Buffer.from(b.subarray(a, e)))) };
      expect(writeFastGemini(JSON.parse(text), raw, sink), text).toBe(true);
      expect(Buffer.concat(chunks).toString('utf8'), text).toBe(JSON.stringify('line' in general ? general.line : null));
      if (raw === invalidUtf8 || text.includes('"dup"')) expect(copied, text).toBe(0);
      else expect(copied, text).toBeGreaterThan(0);
    }
  });
});
