import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../../../src/core/dataset/profiles/index.js';
import { validateFile } from '../../../../src/core/dataset/validate.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmgw-vertex-profile-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const file = async (name: string, lines: unknown[]): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return path;
};
const user = (content: unknown): unknown => ({ role: 'user', content });
const assistant = (content: string, more: Record<string, unknown> = {}): unknown => ({ role: 'assistant', content, ...more });

describe('--target vertex', () => {
  it('reports what Vertex cannot take as errors and what conversion drops as warnings, by line', async () => {
    const path = await file('mixed.jsonl', [
      { messages: [user('Hi'), assistant('Hello.')] },
      { messages: [user('Hi'), assistant('Hello.', { weight: 0 })] },
      { messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]), assistant('A dot.')] },
      { messages: [user('Hi'), assistant('Hello.'), user('Bye')] },
    ]);
    const report = await validateFile(path, { profile: getProfile('vertex') });
    const found = report.issues.filter((i) => i.message.startsWith('Vertex')).map((i) => [i.line, i.severity, i.code]);
    expect(found).toEqual([
      [2, 'warning', 'unknown_key'],
      [3, 'error', 'invalid_image_part'],
      [4, 'error', 'invalid_role'],
    ]);
    expect(report.valid).toBe(false);
  });

  it('takes preference pairs whose prompt ends with the user, and refuses tools in them', async () => {
    const pair = (input: Record<string, unknown>): unknown => ({ input, preferred_output: [assistant('good')], non_preferred_output: [assistant('bad')] });
    const good = await validateFile(await file('pref.jsonl', [pair({ messages: [user('Q')] })]), { profile: getProfile('vertex') });
    expect(good.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const tools = await validateFile(await file('pref-tools.jsonl', [pair({ messages: [user('Q')], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] })]), { profile: getProfile('vertex') });
    expect(tools.issues.filter((i) => i.severity === 'error').map((i) => i.code)).toEqual(['preference_not_text']);
  });

  it('warns when an example is over 131,072 tokens, counted approximately (o200k_base, scaled)', async () => {
    const words = Array.from({ length: 70_000 }, (_, i) => `word${i % 97}`).join(' ');
    const path = await file('long.jsonl', [{ messages: [user(words), assistant('ok')] }, { messages: [user('short'), assistant('ok')] }]);
    const report = await validateFile(path, { profile: getProfile('vertex') });
    const long = report.issues.filter((i) => i.code === 'example_too_long');
    expect(long.map((i) => [i.line, i.severity])).toEqual([[1, 'warning']]);
    expect(long[0]?.message).toMatch(/about [\d,]+ tokens \(approximate: [\d,]+ by o200k_base × 1\.068/);
  });

  it('takes lines already in Vertex\'s shape, checked against Vertex\'s own rules', async () => {
    const turn = (role: string, text: string): unknown => ({ role, parts: [{ text }] });
    const good = await file('gemini.jsonl', [
      { systemInstruction: { parts: [{ text: 'Be brief.' }] }, contents: [turn('user', 'Hi'), turn('model', 'Hello.')] },
      {
        contents: [turn('user', 'SKU?'), { role: 'model', parts: [{ functionCall: { name: 'sku', args: { q: 'x' } } }] }, { role: 'user', parts: [{ functionResponse: { name: 'sku', response: { sku: 1 } } }] }, turn('model', 'It is 1.')],
        tools: [{ functionDeclarations: [{ name: 'sku', parameters: { type: 'OBJECT', properties: { q: { type: 'STRING' } } } }] }],
      },
      { contents: [turn('user', 'Q')], completions: [{ score: 1, completion: turn('model', 'good') }, { score: 0, completion: turn('model', 'bad') }] },
    ]);
    const ok = await validateFile(good, { profile: getProfile('vertex'), kind: 'chat' });
    expect(ok.issues.filter((i) => i.severity === 'error' && i.line < 3)).toEqual([]);
    const bad = await file('gemini-bad.jsonl', [{ contents: [turn('user', 'Hi'), turn('assistant', 'Hello.')] }, { contents: [turn('user', 'Hi'), turn('model', 'Hello.'), turn('user', 'Bye')] }]);
    const report = await validateFile(bad, { profile: getProfile('vertex') });
    expect(report.issues.filter((i) => i.severity === 'error').map((i) => [i.line, i.code, i.field])).toEqual([
      [1, 'invalid_role', 'contents[1].role'],
      [2, 'invalid_role', 'contents[2].role'],
    ]);
    const pref = await validateFile(await file('gemini-pref.jsonl', [{ contents: [turn('user', 'Q')], completions: [{ score: 1, completion: turn('model', 'good') }, { score: 0, completion: turn('model', 'bad') }] }]), { profile: getProfile('vertex') });
    expect(pref.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(pref.kind).toBe('preference');
  });

  it('holds Vertex\'s 1 GB file limit', () => {
    expect(getProfile('vertex')).toMatchObject({ name: 'vertex', maxFileBytes: 1024 ** 3, kinds: ['chat', 'preference'] });
  });
});
