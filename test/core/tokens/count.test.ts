import { encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import { describe, expect, it } from 'vitest';
import { countExampleTokens, IMAGE_TOKENS } from '../../../src/core/tokens/count.js';
import { getEncoder } from '../../../src/core/tokens/encodings.js';
import { LONG_PIECE_CHARS } from '../../../src/core/tokens/text.js';

const o200k = getEncoder('o200k_base');
const cl100k = getEncoder('cl100k_base');
const t = (text: string) => o200k.count(text);

describe('encoders', () => {
  // Token ids published in OpenAI's cookbook (How_to_count_tokens_with_tiktoken) for tiktoken.
  it.each([
    ['tiktoken is great!', 6, 6],
    ['antidisestablishmentarianism', 6, 6],
    ['2 + 2 = 4', 7, 7],
    ['お誕生日おめでとう', 8, 9],
    ['hello world', 2, 2],
    ['', 0, 0],
  ])('counts %j like tiktoken (o200k %i, cl100k %i)', (text, o, c) => {
    expect(o200k.count(text)).toBe(o);
    expect(cl100k.count(text)).toBe(c);
  });

  it('counts emoji with skin tones and mixed scripts byte-level', () => {
    expect(o200k.count('👍🏽 café 你好世界')).toBe(7);
    expect(cl100k.count('👍🏽 café 你好世界')).toBe(13);
  });

  it('counts special-token text as plain text instead of throwing', () => {
    expect(o200k.count('<|endoftext|>')).toBe(7);
    expect(cl100k.count('<|endoftext|>')).toBe(7);
    expect(o200k.count('a <|im_start|>system<|im_sep|> b')).toBeGreaterThan(3);
  });
});

const simpleChat = {
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Hi there' },
    { role: 'assistant', content: 'Hello!' },
  ],
};

describe('countExampleTokens: chat', () => {
  it('follows the cookbook formula: 3 per message + every value + 3 per conversation', () => {
    const byHand = 3 + (3 + t('system') + t('You are terse.')) + (3 + t('user') + t('Hi there')) + (3 + t('assistant') + t('Hello!'));
    expect(byHand).toBe(23);
    expect(countExampleTokens(simpleChat, 'chat', 'o200k_base')).toEqual({ total: 23, trained: 2, messages: 3, longPieces: 0 });
  });

  it('matches the ChatML rendering <|im_start|>role<|im_sep|>content<|im_end|> + reply priming', () => {
    expect(countExampleTokens(simpleChat, 'chat', 'o200k_base').total).toBe(encodeChat(simpleChat.messages as never).length);
  });

  it('adds the name and one token for it', () => {
    const named = { messages: [{ role: 'user', name: 'alice_smith', content: 'Hi there' }, { role: 'assistant', content: 'Hello!' }] };
    const expected = 3 + (3 + t('user') + t('alice_smith') + 1 + t('Hi there')) + (3 + t('assistant') + t('Hello!'));
    expect(countExampleTokens(named, 'chat', 'o200k_base').total).toBe(expected);
  });

  it('counts empty content as nothing but the message overhead', () => {
    const empty = { messages: [{ role: 'user', content: '' }, { role: 'assistant', content: '' }] };
    expect(countExampleTokens(empty, 'chat', 'o200k_base')).toEqual({ total: 3 + 4 + 4, trained: 0, messages: 2, longPieces: 0 });
  });

  it('counts tool calls (3 + name + arguments) as trained, and tool results as messages', () => {
    const args = '{"location": "Paris", "unit": "celsius"}';
    const example = {
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '21.0' },
        { role: 'assistant', content: 'It is 21 °C.' },
      ],
    };
    const call = 3 + t('get_weather') + t(args);
    const expected = 3 + (3 + t('user') + t('Weather in Paris?')) + (3 + t('assistant') + call) + (3 + t('tool') + t('21.0')) + (3 + t('assistant') + t('It is 21 °C.'));
    expect(countExampleTokens(example, 'chat', 'o200k_base')).toEqual({ total: expected, trained: call + t('It is 21 °C.'), messages: 4, longPieces: 0 });
  });

  it('counts tool definitions as their TypeScript-like rendering + 9', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_current_weather',
          description: 'Get the current weather',
          parameters: { type: 'object', properties: { location: { type: 'string' }, format: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['location', 'format'] },
        },
      },
    ];
    const rendered = [
      'namespace functions {',
      '',
      '// Get the current weather',
      'type get_current_weather = (_: {',
      'location: string,',
      'format: "celsius" | "fahrenheit",',
      '}) => any;',
      '',
      '} // namespace functions',
    ].join('\n');
    const without = countExampleTokens(simpleChat, 'chat', 'o200k_base').total;
    expect(countExampleTokens({ ...simpleChat, tools }, 'chat', 'o200k_base').total).toBe(without + t(rendered) + 9);
    // The legacy `functions` key is rendered the same way.
    expect(countExampleTokens({ ...simpleChat, functions: [tools[0]?.function] }, 'chat', 'o200k_base').total).toBe(without + t(rendered) + 9);
  });

  it('leaves weight-0 assistant turns out of the trained tokens but not out of the total', () => {
    const example = {
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Bad answer', weight: 0 },
        { role: 'user', content: 'Again' },
        { role: 'assistant', content: 'Good answer', weight: 1 },
      ],
    };
    const counts = countExampleTokens(example, 'chat', 'o200k_base');
    expect(counts.trained).toBe(t('Good answer'));
    expect(counts.total).toBe(3 + 4 * 3 + t('user') * 2 + t('assistant') * 2 + t('Hi') + t('Bad answer') + t('Again') + t('Good answer'));
  });

  it('counts text parts by their text and each image at 85 tokens', () => {
    const example = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        { role: 'assistant', content: 'Two cats.' },
      ],
    };
    const expected = 3 + (3 + t('user') + t('What is in this picture?') + 2 * IMAGE_TOKENS) + (3 + t('assistant') + t('Two cats.'));
    expect(IMAGE_TOKENS).toBe(85);
    expect(countExampleTokens(example, 'chat', 'o200k_base').total).toBe(expected);
  });

  it('uses the encoding it is given', () => {
    const example = { messages: [{ role: 'user', content: 'お誕生日おめでとう' }, { role: 'assistant', content: 'ありがとう' }] };
    const o = countExampleTokens(example, 'chat', 'o200k_base').total;
    const c = countExampleTokens(example, 'chat', 'cl100k_base').total;
    expect(o).toBe(3 + 3 + 1 + 8 + 3 + 1 + t('ありがとう'));
    expect(c).toBe(3 + 3 + 1 + 9 + 3 + 1 + cl100k.count('ありがとう'));
  });
});

describe('countExampleTokens: preference and completion', () => {
  it('counts input, preferred and non-preferred output; trains on the preferred one', () => {
    const example = {
      input: { messages: [{ role: 'user', content: 'How cold is it?' }], tools: [], parallel_tool_calls: true },
      preferred_output: [{ role: 'assistant', content: 'About 12 °C, bring a jacket.' }],
      non_preferred_output: [{ role: 'assistant', content: 'Cold.' }],
    };
    const expected = 3 + (3 + t('user') + t('How cold is it?')) + (3 + t('assistant') + t('About 12 °C, bring a jacket.')) + (3 + t('assistant') + t('Cold.'));
    expect(countExampleTokens(example, 'preference', 'o200k_base')).toEqual({ total: expected, trained: t('About 12 °C, bring a jacket.'), messages: 3, longPieces: 0 });
  });

  it('counts prompt and completion; trains on the completion', () => {
    const example = { prompt: 'Capital of France?\n\n###\n\n', completion: ' Paris END' };
    expect(countExampleTokens(example, 'completion', 'cl100k_base')).toEqual({
      total: cl100k.count(example.prompt) + cl100k.count(example.completion),
      trained: cl100k.count(' Paris END'),
      messages: 0,
      longPieces: 0,
    });
  });
});

describe('countExampleTokens: tolerance', () => {
  const weird: unknown[] = [
    null,
    42,
    'text',
    [],
    {},
    { messages: 'not an array' },
    { messages: [null, 1, 'x', { role: 5, content: { nested: true } }, { role: 'assistant', content: [null, 3, { type: 'audio' }] }] },
    { messages: [{ role: 'assistant', tool_calls: [null, { function: null }, { function: { name: 7, arguments: { a: 1 } } }], function_call: 'x' }] },
    { messages: [], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string', enum: 'not-an-array' } } } } }] },
    { input: 'x', preferred_output: 'y', non_preferred_output: [null] },
    { prompt: 1, completion: null },
  ];

  it.each(['chat', 'preference', 'completion'] as const)('never throws on malformed %s examples', (kind) => {
    for (const example of weird) {
      const counts = countExampleTokens(example, kind, 'o200k_base');
      expect(Number.isInteger(counts.total) && counts.total >= 0).toBe(true);
      expect(counts.trained).toBeLessThanOrEqual(counts.total);
    }
  });

  it('counts what it can of a broken example', () => {
    expect(countExampleTokens(null, 'chat', 'o200k_base')).toEqual({ total: 0, trained: 0, messages: 0, longPieces: 0 });
    const partial = { messages: [null, { role: 'user', content: 'Hi there' }] };
    expect(countExampleTokens(partial, 'chat', 'o200k_base')).toEqual({ total: 3 + 3 + t('user') + t('Hi there'), trained: 0, messages: 2, longPieces: 0 });
    // A malformed tool schema that cannot be rendered is counted as its JSON text.
    const broken = weird[8] as { tools: Array<{ function: unknown }> };
    expect(countExampleTokens(broken, 'chat', 'o200k_base').total).toBe(3 + t(JSON.stringify([broken.tools[0]?.function])) + 9);
  });
});

describe('long-piece guard', () => {
  it('counts an unbroken run in chunks and reports it', () => {
    const run = 'a'.repeat(LONG_PIECE_CHARS * 5);
    const counts = countExampleTokens({ prompt: run, completion: '' }, 'completion', 'o200k_base');
    expect(counts.longPieces).toBe(1);
    expect(counts.total).toBe(5 * t('a'.repeat(LONG_PIECE_CHARS)));
  });

  it('leaves ordinary long text alone: the count equals the plain count', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(200);
    const counts = countExampleTokens({ prompt: prose, completion: '' }, 'completion', 'o200k_base');
    expect(counts).toMatchObject({ total: t(prose), longPieces: 0 });
  });

  it('guards punctuation and whitespace runs too, and keeps the text around them', () => {
    const text = `before ${'='.repeat(2500)} middle ${' '.repeat(1500)}after`;
    const counts = countExampleTokens({ prompt: text, completion: '' }, 'completion', 'o200k_base');
    expect(counts.longPieces).toBe(2);
    expect(counts.total).toBeGreaterThan(t('before  middle after'));
  });

  it('does not split a surrogate pair at a chunk boundary', () => {
    const run = '𠀀'.repeat(LONG_PIECE_CHARS); // CJK extension B letters, two UTF-16 units each
    const counts = countExampleTokens({ prompt: run, completion: '' }, 'completion', 'o200k_base');
    expect(counts.longPieces).toBe(1);
    expect(counts.total).toBe(2 * t('𠀀'.repeat(LONG_PIECE_CHARS / 2)));
  });
});

describe('long-run detection', () => {
  /** Reference: maximal runs of one class of at least LONG_PIECE_CHARS, found by a plain regex. */
  const reference = (text: string) => text.match(new RegExp(`[\\p{L}\\p{M}]{${LONG_PIECE_CHARS},}|[^\\s\\p{L}\\p{N}]{${LONG_PIECE_CHARS},}|\\s{${LONG_PIECE_CHARS},}`, 'gu'))?.length ?? 0;

  it('finds exactly the runs a regex finds, wherever they start', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const atoms = ['a', 'é', ' ', '=', '1', 'x ', 'ab.', '你'];
    let found = 0;
    for (let round = 0; round < 60; round++) {
      let text = '';
      while (text.length < 6000) {
        const atom = atoms[Math.floor(rand() * atoms.length)] ?? 'a';
        text += atom.repeat(1 + Math.floor(rand() * (rand() < 0.3 ? 1400 : 40)));
      }
      const counts = countExampleTokens({ prompt: text, completion: '' }, 'completion', 'o200k_base');
      expect(counts.longPieces, `round ${round}`).toBe(reference(text));
      found += counts.longPieces;
    }
    expect(found).toBeGreaterThan(20); // the generator does make long runs
  });

  it('treats a run of exactly the limit as long and one character less as ordinary', () => {
    const at = countExampleTokens({ prompt: `x ${'b'.repeat(LONG_PIECE_CHARS)} y`, completion: '' }, 'completion', 'o200k_base');
    const below = countExampleTokens({ prompt: `x ${'b'.repeat(LONG_PIECE_CHARS - 1)} y`, completion: '' }, 'completion', 'o200k_base');
    expect([at.longPieces, below.longPieces]).toEqual([1, 0]);
    expect(below.total).toBe(t(`x ${'b'.repeat(LONG_PIECE_CHARS - 1)} y`));
  });
});
