/**
 * Public fine-tuning data in the shapes people publish it, each as a small fixture written here
 * (the public source it imitates is named in each test), converted as a new user would.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMaps } from '../../../../src/core/dataset/convert/csv-map.js';
import { convertFile, type ConvertOptions, type ConvertResult } from '../../../../src/core/dataset/convert/run.js';
import { openaiProfile } from '../../../../src/core/dataset/profile.js';
import { validateFile } from '../../../../src/core/dataset/validate.js';
import { resolveModel } from '../../../../src/core/models/catalog.js';
import { createTokenPool } from '../../../../src/core/tokens/pool.js';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-shapes-'));
const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());
let n = 0;

type Line = Record<string, unknown> & { messages?: { role: string; content: unknown }[] };

async function convert(name: string, content: string | Buffer, opts: ConvertOptions = {}): Promise<{ result: ConvertResult; lines: Line[]; out: string }> {
  const sub = join(dir, `case${++n}`);
  mkdirSync(sub, { recursive: true });
  const input = join(sub, name);
  writeFileSync(input, content);
  const out = join(sub, 'out.jsonl');
  const result = await convertFile(input, out, opts);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  // The report accounts for every item read.
  expect(result.written + result.skipped).toBe(result.items);
  return { result, lines, out };
}
const jsonl = (rows: unknown[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
const turn = (role: string, content: unknown) => ({ role, content });
const noteOf = (r: ConvertResult, re: RegExp) => r.notes.find((x) => re.test(x.message));

describe('never silently change meaning', () => {
  // Shape of LLaMA-Factory's data/kto_en_demo.json: {messages, label: true|false}.
  const kto = [true, false, true, false, false].map((label, i) => ({ messages: [turn('user', `q${i}`), turn('assistant', `a${i}`)], label }));

  it('refuses KTO data by default: the undesirable answers would become training targets', async () => {
    await expect(convert('kto.json', JSON.stringify(kto, null, 2))).rejects.toMatchObject({ code: 'kto_data', exitCode: 2, hint: expect.stringContaining('--kto desirable-only') });
  });

  it('keeps only the desirable KTO examples with --kto desirable-only, and says how many were dropped', async () => {
    const { result, lines } = await convert('kto.json', JSON.stringify(kto, null, 2), { kto: 'desirable-only' });
    expect(result).toMatchObject({ items: 5, written: 2, skipped: 3 });
    expect(lines.map((l) => l.messages?.[1]?.content)).toEqual(['a0', 'a2']);
    expect(lines.every((l) => !('label' in l))).toBe(true);
    expect(noteOf(result, /"label": false/)).toMatchObject({ count: 3 });
    expect(noteOf(result, /"label": true dropped/)).toMatchObject({ count: 2 });
  });

  it('embeds images given by relative path (LLaMA-Factory mllm_demo) as data: URLs, checking format and size', async () => {
    const sub = join(dir, 'images');
    mkdirSync(join(sub, 'pics'), { recursive: true });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-rest-of-a-png')]);
    writeFileSync(join(sub, 'pics/1.png'), png);
    writeFileSync(join(sub, 'pics/notes.txt'), 'not an image');
    writeFileSync(join(sub, 'pics/huge.png'), Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]));
    const rows = [
      { messages: [turn('user', '<image>Who is this?'), turn('assistant', 'A player.'), turn('user', 'And here?<image>'), turn('assistant', 'The same one.')], images: ['pics/1.png', 'pics/1.png'] },
      { messages: [turn('user', '<image>What is it?'), turn('assistant', 'x')], images: ['pics/missing.jpg'] },
      { messages: [turn('user', '<image>What is it?'), turn('assistant', 'x')], images: ['pics/notes.txt'] },
      { messages: [turn('user', '<image>What is it?'), turn('assistant', 'x')], images: ['pics/huge.png'] },
      { messages: [turn('user', '<image><image>Two?'), turn('assistant', 'x')], images: ['pics/1.png'] },
    ];
    writeFileSync(join(sub, 'mllm.json'), JSON.stringify(rows, null, 2));
    const out = join(sub, 'out.jsonl');
    const result = await convertFile(join(sub, 'mllm.json'), out);
    expect(result).toMatchObject({ items: 5, written: 1, skipped: 4 });
    const url = `data:image/png;base64,${png.toString('base64')}`;
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url } }, { type: 'text', text: 'Who is this?' }] },
        turn('assistant', 'A player.'),
        { role: 'user', content: [{ type: 'text', text: 'And here?' }, { type: 'image_url', image_url: { url } }] },
        turn('assistant', 'The same one.'),
      ],
    });
    expect(result.skippedItems.map((s) => s.reason)).toEqual([
      expect.stringContaining('"pics/missing.jpg" cannot be read (no such file'),
      expect.stringContaining('"pics/notes.txt" is not a JPEG, PNG or WEBP image'),
      expect.stringMatching(/"pics\/huge.png" is 10.0 MiB; images may be at most 10.0 MiB/),
      'the messages have 2 <image> placeholders but "images" lists 1',
    ]);
    expect(noteOf(result, /placeholders replaced/)).toMatchObject({ count: 1 });
    const report = await validateFile(out, { model: resolveModel('gpt-4o-2024-08-06'), profile: { ...openaiProfile, minExamples: 1, recommendedExamples: 1 } });
    expect(report.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('stops at the first byte that is not UTF-8, with its offset and the fix, and decodes with --encoding', async () => {
    // Shape of openai-cookbook's 25000_spend_dataset_current.csv: a Windows-1252 header with "£".
    const csv = Buffer.from('Date,Supplier,Description,Transaction value (\xa3)\r\n21/04/2016,M & J Ltd,Bridge work,35098\r\n', 'latin1');
    const err = await convert('spend.csv', csv, { maps: parseMaps(['Description=user', 'Supplier=assistant']) }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_utf8', exitCode: 1, message: expect.stringContaining('the byte at offset 45 (line 1) starts 0xA3'), hint: expect.stringContaining('--encoding windows-1252') });
    expect((err as Error).message).toContain('"£"');
    const { result, lines } = await convert('spend.csv', csv, { encoding: 'windows-1252', maps: parseMaps(['Description=user', 'Transaction value (£)=assistant']) });
    expect(lines[0]?.messages?.map((m) => m.content)).toEqual(['Bridge work', '35098']);
    expect(result.detected.encoding).toBe('windows-1252');
    expect(noteOf(result, /decoded from windows-1252/)).toBeDefined();
    expect(readFileSync(join(dir, `case${n}`, 'out.jsonl'), 'utf8')).not.toContain('\uFFFD');
  });

  it('names UTF-16 and decodes it with --encoding utf-16le; finds a bad byte in a JSON line by offset', async () => {
    const text = jsonl([{ messages: [turn('user', 'Grüß dich'), turn('assistant', 'Hallo')] }]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    await expect(convert('u16.jsonl', utf16)).rejects.toMatchObject({ code: 'not_utf8', message: expect.stringContaining('UTF-16'), hint: expect.stringContaining('--encoding utf-16le') });
    const { lines } = await convert('u16.jsonl', utf16, { encoding: 'utf-16le' });
    expect(lines[0]?.messages?.[0]?.content).toBe('Grüß dich');
    const bad = Buffer.concat([Buffer.from(text), Buffer.from('{"messages":[{"role":"user","content":"caf'), Buffer.from([0xe9]), Buffer.from('"}]}\n')]);
    await expect(convert('bad.jsonl', bad)).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`offset ${Buffer.byteLength(text) + 42} \\(line 2\\) starts 0xE9`)) });
  });

  it('counts replacement characters already in the data instead of passing them silently', async () => {
    const { result } = await convert('fffd.jsonl', jsonl([{ messages: [turn('user', 'caf\uFFFD'), turn('assistant', 'ok')] }]));
    expect(noteOf(result, /1 U\+FFFD replacement character/)).toBeDefined();
    // Every character counted, with the byte offset of the first, in the lines read first (parsed)
    // and in the lines past the look-ahead (plain ones are recognised from their bytes).
    const clean = JSON.stringify({ messages: [turn('user', 'Hi'), turn('assistant', 'Hello.')] });
    const damaged = JSON.stringify({ messages: [turn('user', 'caf\uFFFD na\uFFFDve'), turn('assistant', '\uFFFD')] });
    const late = [...Array<string>(3000).fill(clean), damaged, ...Array<string>(10).fill(clean), damaged];
    const many = await convert('fffd-late.jsonl', `${late.join('\n')}\n`);
    const firstAt = (clean.length + 1) * 3000 + damaged.indexOf('\uFFFD'); // all ASCII before it
    expect(noteOf(many.result, new RegExp(`the input holds 6 U\\+FFFD replacement characters \\(first at byte ${firstAt}\\)`))).toBeDefined();
    const early = await convert('fffd-early.jsonl', `\ufeff${[damaged, ...Array<string>(5).fill(clean)].join('\r\n')}`);
    expect(noteOf(early.result, new RegExp(`holds 3 U\\+FFFD replacement characters \\(first at byte ${3 + damaged.indexOf('\uFFFD')}\\)`))).toBeDefined();
  });

  it('skips an empty turn with the reason (axolotl conversation.missingturns), or keeps it with --keep-empty', async () => {
    const rows = [{ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: '' }, { from: 'human', value: 'again' }, { from: 'gpt', value: 'Sure.' }] }, { conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: 'a' }] }];
    const skipped = await convert('missing.jsonl', jsonl(rows));
    expect(skipped.result.skippedItems).toEqual([{ line: 1, row: null, reason: 'messages[1] (assistant) is empty; pass --keep-empty to keep such examples' }]);
    const kept = await convert('missing.jsonl', jsonl(rows), { keepEmpty: true });
    expect(kept.result.written).toBe(2);
    expect(noteOf(kept.result, /kept an example with an empty turn/)).toMatchObject({ count: 1, line: 1 });
  });

  it('accounts for every row: written + skipped = read, and each dropped key is counted', async () => {
    const rows = [
      JSON.stringify({ id: 'a', source: 'web', messages: [turn('user', 'q'), turn('assistant', 'a')] }),
      '{"messages": [',
      JSON.stringify({ id: 'b', messages: [turn('user', 'q2'), turn('assistant', 'a2')] }),
      JSON.stringify([1, 2]),
      JSON.stringify({ messages: [turn('user', 'only a question')] }),
    ];
    const { result } = await convert('mixed.jsonl', `${rows.join('\n')}\n\n`);
    expect(result).toMatchObject({ items: 5, written: 2, skipped: 3 });
    expect(noteOf(result, /key "id" dropped/)).toMatchObject({ count: 2, line: 1 });
    expect(noteOf(result, /key "source" dropped/)).toMatchObject({ count: 1 });
  });

  it('removes the fields SDK responses add (cheatsheet weather_chat_fine_tuning) and says so', async () => {
    const calls = [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }];
    const row = {
      messages: [
        turn('user', 'Weather in Oslo?'),
        { role: 'assistant', content: null, function_call: null, refusal: null, tool_calls: calls },
        { role: 'tool', tool_call_id: 'call_1', name: 'get_weather', content: '{"c":4}' },
        { role: 'assistant', content: '4 °C.', function_call: null, tool_calls: null },
      ],
    };
    const { result, lines } = await convert('weather.jsonl', jsonl([row]));
    expect(lines[0]?.messages).toEqual([
      turn('user', 'Weather in Oslo?'),
      { role: 'assistant', content: null, tool_calls: calls },
      { role: 'tool', tool_call_id: 'call_1', content: '{"c":4}' },
      turn('assistant', '4 °C.'),
    ]);
    expect(result.notes.map((x) => x.message)).toEqual([
      '"function_call": null removed from assistant messages (an SDK default; it means nothing in training data)',
      '"refusal": null removed from assistant messages (an SDK default; it means nothing in training data)',
      '"name" removed from tool messages (the tool_call_id links the result to its call)',
      '"tool_calls": null removed from assistant messages (an SDK default; it means nothing in training data)',
    ]);
  });
});

describe('shapes that must convert', () => {
  it('splits HH-RLHF transcripts into the shared prompt and the two final answers, reporting bad rows by line', async () => {
    // Shape of anthropics/hh-rlhf harmless-base/test.jsonl.gz (gzip, read transparently).
    const rows = [
      { chosen: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: A pen prank?\n\nAssistant: Swap the ink for water.', rejected: '\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: A pen prank?\n\nAssistant: No.' },
      { chosen: '\n\nHuman: Q\n\nAssistant: A\n\nHuman: more\n\nAssistant: B', rejected: '\n\nHuman: Q\n\nAssistant: other\n\nHuman: more\n\nAssistant: C' },
      { chosen: '\n\nHuman: Q\n\nAssistant:', rejected: '\n\nHuman: Q\n\nAssistant: Something' },
    ];
    const { result, lines } = await convert('test.jsonl.gz', gzipSync(jsonl(rows)));
    expect(result).toMatchObject({ detected: { format: 'hh-rlhf', gzip: true }, kind: 'preference', written: 1, skipped: 2 });
    expect(lines[0]).toEqual({
      input: { messages: [turn('user', 'Hi'), turn('assistant', 'Hello!'), turn('user', 'A pen prank?')] },
      preferred_output: [turn('assistant', 'Swap the ink for water.')],
      non_preferred_output: [turn('assistant', 'No.')],
    });
    expect(result.skippedItems).toEqual([
      { line: 2, row: null, reason: 'the transcripts diverge before the last turn (at turn 2, Assistant)' },
      { line: 3, row: null, reason: 'the chosen (final Assistant) answer is empty' },
    ]);
  });

  it('converts LLaMA-Factory / ShareGPT preference data with the system turn first', async () => {
    // Shape of LLaMA-Factory's data/dpo_en_demo.json (ShareGPT), with a system turn inside conversations.
    const rows = [{ conversations: [{ from: 'human', value: 'Name a colour.' }, { from: 'system', value: 'Be brief.' }], chosen: { from: 'gpt', value: 'Blue.' }, rejected: { from: 'gpt', value: 'I like many colours, for example...' } }];
    const { result, lines } = await convert('dpo_en_demo.json', JSON.stringify(rows, null, 2));
    expect(result).toMatchObject({ detected: { container: 'json', format: 'preference' }, written: 1 });
    expect(lines[0]).toEqual({
      input: { messages: [turn('system', 'Be brief.'), turn('user', 'Name a colour.')] },
      preferred_output: [turn('assistant', 'Blue.')],
      non_preferred_output: [turn('assistant', 'I like many colours, for example...')],
    });
    expect(result.notes.map((x) => x.message)).toEqual(['system turns moved to the front of the prompt', 'speakers renamed to OpenAI roles (human → user, gpt → assistant)']);
  });

  it('refuses a pair whose message lists differ before the answers, and notes message keys a pair cannot keep', async () => {
    // Shape of TRL-style conversational preference data: chosen/rejected as whole message lists.
    const rows = [
      { chosen: [turn('user', 'Capital of France?'), turn('assistant', 'Paris.')], rejected: [turn('user', 'Capital of Spain?'), turn('assistant', 'Lyon.')] },
      { prompt: [{ role: 'user', content: 'Hi', name: 'ana' }], chosen: 'Hello!', rejected: 'Go away.' },
    ];
    const { result, lines } = await convert('pairs.jsonl', jsonl(rows));
    expect(result.skippedItems).toEqual([{ line: 1, row: null, reason: '"chosen" and "rejected" differ before their last assistant turn, so there is no one prompt for the pair' }]);
    expect(lines[0]).toMatchObject({ input: { messages: [turn('user', 'Hi')] } });
    expect(noteOf(result, /message key "name" dropped/)).toMatchObject({ count: 1, line: 2 });
  });

  it('maps JSON keys and dotted paths with --map (Foundry qa.jsonl, Alpaca seed_tasks instances)', async () => {
    const qa = await convert('qa.jsonl', jsonl([{ question: 'Is water wet?', meta: { answer: 'Obviously.' }, id: 1 }]), { maps: parseMaps(['question=user', 'meta.answer=assistant']) });
    expect(qa.lines).toEqual([{ messages: [turn('user', 'Is water wet?'), turn('assistant', 'Obviously.')] }]);
    expect(qa.result.detected.format).toBe('mapped-fields');
    expect(noteOf(qa.result, /key "id" is not mapped/)).toMatchObject({ count: 1 });
    const seed = await convert('seed_tasks.jsonl', jsonl([{ instruction: 'Add.', instances: [{ input: '2+2', output: 4 }] }]), { maps: parseMaps(['instruction=system', 'instances.0.input=user', 'instances.0.output=assistant']) });
    expect(seed.lines[0]?.messages).toEqual([turn('system', 'Add.'), turn('user', '2+2'), turn('assistant', '4')]);
    expect(noteOf(seed.result, /number in "instances.0.output" written as text/)).toBeDefined();
  });

  it('takes a file holding one JSON object as one item, and explains a wrapper object', async () => {
    const one = await convert('one.json', JSON.stringify({ messages: [turn('user', 'q'), turn('assistant', 'a')] }, null, 2));
    expect(one.result).toMatchObject({ detected: { container: 'json', format: 'chat' }, items: 1, written: 1 });
    const wrapped = JSON.stringify({ version: 2, data: [{ instruction: 'a', output: 'b' }] }, null, 2);
    await expect(convert('wrapped.json', wrapped)).rejects.toMatchObject({ code: 'unrecognised_json', hint: expect.stringContaining(`jq -c '.data[]'`) });
  });

  it('reads gzip data under any name and says so, and - / -o - as standard streams', async () => {
    const text = jsonl([{ instruction: 'Say hi.', output: 'Hi.' }]);
    const { result } = await convert('alpaca.jsonl', gzipSync(text));
    expect(noteOf(result, /is gzip-compressed \(found from its first bytes\)/)).toBeDefined();
    let written = '';
    const piped = await convertFile('-', '-', { stdin: Readable.from([gzipSync(text)]), stdout: { write: (s) => void (written += Buffer.from(s as Uint8Array).toString()) } });
    expect(piped).toMatchObject({ input: 'stdin', output: '-', written: 1 });
    expect(JSON.parse(written)).toEqual({ messages: [turn('user', 'Say hi.'), turn('assistant', 'Hi.')] });
  });

  it('strips the legacy separator and stop sequence (ChatGptFinetune mental_health_prepared) and says so', async () => {
    const rows = [
      { prompt: 'What is stress? ->', completion: ' A response to pressure.\n' },
      { prompt: 'What is sleep? ->', completion: ' Rest.\n' },
    ];
    const { result, lines } = await convert('prepared.jsonl', jsonl(rows));
    expect(lines.map((l) => l.messages?.map((m) => m.content))).toEqual([
      ['What is stress?', 'A response to pressure.'],
      ['What is sleep?', 'Rest.'],
    ]);
    expect(result.notes.map((x) => [x.message, x.count])).toEqual([
      ['separator " ->" removed from the end of the prompt', 2],
      ['stop sequence "\\n" removed from the end of the completion', 2],
      ['whitespace trimmed from the ends of the completion (legacy completions start with a space)', 2],
    ]);
  });
});
