/**
 * `dataset validate --target bedrock` on files already in a Bedrock format (the shape
 * `tune start --train s3://…` uploads as it is): each line is checked as written against the
 * model's format, with its line number, and the base rules see the chat example it stands for.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getProfile } from '../../../../src/core/dataset/profiles/index.js';
import { validateFile } from '../../../../src/core/dataset/validate.js';
import { readBedrockLine } from '../../../../src/core/providers/bedrock/format/reverse.js';
import { createTokenPool } from '../../../../src/core/tokens/pool.js';

// The workers rebuild the profile from its name and model: they must find the same problems.
const workers = createTokenPool({ threads: 2 });
afterAll(() => workers.close());

const dir = mkdtempSync(join(tmpdir(), 'llmgw-bedrock-native-'));
const write = (name: string, lines: unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return path;
};
const nova = (q: string, a: string) => ({ schemaVersion: 'bedrock-conversation-2024', system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: q }] }, { role: 'assistant', content: [{ text: a }] }] });
const claude = (q: string, a: string) => ({ system: 'Be brief.', messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const errorsOf = async (path: string, target: string, model?: string, inWorkers = false) => {
  const report = await validateFile(path, { profile: getProfile(target, model), ...(inWorkers ? { pool: workers, tokens: false } : {}) });
  return report.issues.filter((i) => i.severity === 'error').map((i) => ({ line: i.line, field: i.field, message: i.message }));
};

describe('Bedrock-format lines under --target bedrock', () => {
  it('a clean bedrock-conversation-2024 file is clean for Nova; a reserved word and a broken turn order are found by line', async () => {
    const good = write('nova-good.jsonl', Array.from({ length: 12 }, (_, i) => nova(`question ${i}`, `answer ${i}`)));
    expect(await errorsOf(good, 'bedrock', 'amazon.nova-micro-v1:0:128k')).toEqual([]);
    const lines = [nova('q1', 'a1'), nova('q2', 'Bot: a2'), { schemaVersion: 'bedrock-conversation-2024', messages: [{ role: 'user', content: [{ text: 'q' }] }, { role: 'user', content: [{ text: 'q' }] }] }];
    const bad = write('nova-bad.jsonl', lines);
    for (const inWorkers of [false, true]) {
      const errors = await errorsOf(bad, 'bedrock', 'amazon.nova-micro-v1:0:128k', inWorkers);
      expect(errors.find((e) => e.line === 2)).toMatchObject({ field: 'messages[1].content[0].text', message: expect.stringContaining('"Bot:", a word Nova reserves') });
      expect(errors.filter((e) => e.line === 3).map((e) => e.message).join('\n')).toContain('expected an assistant message here');
      expect(errors.some((e) => e.line === 1)).toBe(false);
    }
  });

  it('Claude lines: checked with Anthropic’s rules; with a model of another format, one error per line naming both formats', async () => {
    const path = write('claude.jsonl', [claude('q', 'a'), { system: 'x', messages: [{ role: 'assistant', content: 'a' }, { role: 'user', content: 'q' }] }]);
    const errors = await errorsOf(path, 'bedrock', 'anthropic.claude-3-haiku-20240307-v1:0:200k');
    expect(errors.every((e) => e.line === 2)).toBe(true);
    expect(errors.map((e) => e.message).join('\n')).toContain('expected "user"');
    const wrong = await errorsOf(path, 'bedrock', 'amazon.nova-micro-v1:0:128k');
    expect(wrong).toHaveLength(2);
    expect(wrong[0]?.message).toContain('the line is in the Claude ({"system", "messages"}) format, but Amazon Nova Micro trains on bedrock-conversation-2024');
  });

  it('prompt/completion lines for Llama 3.1, and without a model each line against the format it is in', async () => {
    const path = write('pc.jsonl', [{ prompt: 'q', completion: 'a' }, { prompt: 'q', completion: '' }]);
    const llama = await errorsOf(path, 'bedrock', 'meta.llama3-1-8b-instruct-v1:0:128k');
    expect(llama).toEqual([{ line: 2, field: 'completion', message: expect.stringContaining('"completion" must be a non-empty string') }]);
    const any = await errorsOf(path, 'bedrock');
    expect(any).toEqual([{ line: 2, field: 'completion', message: 'Bedrock: "completion" must be a non-empty string' }]);
  });

  it('reads tool use and results as the OpenAI calls and tool messages they are; OpenAI lines are left to the converter', () => {
    const line = {
      schemaVersion: 'bedrock-conversation-2024',
      messages: [
        { role: 'user', content: [{ text: 'weather?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'weather', input: { city: 'Oslo' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } }] },
        { role: 'assistant', content: [{ text: 'Sunny.' }] },
      ],
    };
    expect(readBedrockLine(line)).toEqual({
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'sunny' },
        { role: 'assistant', content: 'Sunny.' },
      ],
    });
    expect(readBedrockLine({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] })).toBeUndefined();
    expect(readBedrockLine({ input: { messages: [] }, preferred_output: [] })).toBeUndefined();
  });
});
