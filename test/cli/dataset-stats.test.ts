import { join } from 'node:path';
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
});
