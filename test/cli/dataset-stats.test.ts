import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../helpers/io.js';

const root = join(import.meta.dirname, '../..');

describe('llmgw dataset stats', () => {
  it('prints tokens, roles, system prompts, duplicates and cost; the histogram only on a terminal', async () => {
    const io = memoryIo({ cwd: root });
    expect(await main(['dataset', 'stats', 'test/fixtures/convert/support-faq.csv.jsonl', '--threads', '0'], io)).toBe(0);
    expect(io.out()).toContain('test/fixtures/convert/support-faq.csv.jsonl: 6 chat examples, 17 messages (2–3 per example, mean 2.8)');
    expect(io.out()).toMatch(/total [\d,]+ · trained [\d,]+ · min \d+ · mean [\d.]+ · p50 \d+ · p95 \d+ · max \d+/);
    expect(io.out()).toContain('system 5 · user 6 · assistant 6');
    expect(io.out()).toContain('system prompt in 83.3% of examples, 1 distinct');
    expect(io.out()).toMatch(/× 16 epochs \(provider's default rule\)/);
    expect(io.out()).not.toContain('█');
    const tty = memoryIo({ cwd: root, tty: true });
    await main(['dataset', 'stats', 'test/fixtures/convert/support-faq.csv.jsonl', '--threads', '0', '--no-color'], tty);
    expect(tty.out()).toContain('█');
  });

  it('prints the numbers under --json', async () => {
    const io = memoryIo({ cwd: root });
    expect(await main(['dataset', 'stats', 'test/fixtures/convert/alpaca.json.jsonl', '--threads', '0', '--json', '--epochs', '2'], io)).toBe(0);
    const doc = JSON.parse(io.out()) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['file', 'kind', 'examples', 'unreadableLines', 'messages', 'roles', 'systemPrompts', 'duplicates', 'tokens', 'longest', 'billing']);
    expect(doc).toMatchObject({ kind: 'chat', examples: 5, billing: { epochs: 2, epochsSource: 'flag' }, tokens: { histogram: expect.any(Array) } });
  });

  it('exits 2 on a missing file or an unknown model', async () => {
    expect(await main(['dataset', 'stats', 'missing.jsonl'], memoryIo({ cwd: root }))).toBe(2);
    expect(await main(['dataset', 'stats', 'test/fixtures/convert/alpaca.json.jsonl', '--model', 'gpt-9'], memoryIo({ cwd: root }))).toBe(2);
  });

  it('a file that is not JSON Lines (a JSON array, a CSV) is one error naming what it is and the convert command, not "no readable example"', async () => {
    const array = memoryIo({ cwd: root });
    expect(await main(['dataset', 'stats', 'datasets/formats/sharegpt.json', '--threads', '0'], array)).toBe(1);
    expect(array.err()).toContain('datasets/formats/sharegpt.json: the file is a JSON array, not JSON Lines');
    expect(array.err()).toContain('llmgw dataset convert datasets/formats/sharegpt.json -o datasets/formats/sharegpt.jsonl');
    const csv = memoryIo({ cwd: root });
    expect(await main(['dataset', 'stats', 'datasets/formats/support-faq.csv', '--threads', '0', '--json'], csv)).toBe(1);
    expect(JSON.parse(csv.out())).toMatchObject({ error: { code: 'not_jsonl', exitCode: 1, hint: expect.stringContaining('--map') } });
  });

  it('names standard input as `-` in the commands it suggests', async () => {
    const stdin = Readable.from([readFileSync(join(root, 'datasets/formats/alpaca.json'))]);
    const io = memoryIo({ cwd: root, stdin });
    expect(await main(['dataset', 'stats', '-', '--threads', '0'], io)).toBe(1);
    expect(io.err()).toContain('`llmgw dataset convert - -o train.jsonl`');
    const junk = memoryIo({ cwd: root, stdin: Readable.from([Buffer.from('{"a": 1}\n')]) });
    expect(await main(['dataset', 'stats', '-', '--threads', '0'], junk)).toBe(1);
    expect(junk.err()).toContain('`llmgw dataset validate -`');
  });

  it('never suggests converting a file onto itself (a one-line JSON array named .jsonl)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-stats-'));
    writeFileSync(join(cwd, 'arr.jsonl'), '[{"instruction": "a", "output": "b"}]');
    const io = memoryIo({ cwd });
    expect(await main(['dataset', 'stats', 'arr.jsonl', '--threads', '0'], io)).toBe(1);
    expect(io.err()).toContain('`llmgw dataset convert arr.jsonl -o arr.converted.jsonl`');
  });
});
