/**
 * `dataset validate --target bedrock|vertex --model <that provider's model>` and `dataset convert
 * --to bedrock --model` through the built CLI: a provider's own base model selects its rules
 * (for Bedrock, that model's data format) with line numbers, and nothing is counted in a
 * tokenizer llmgw does not have.
 */
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/built-cli.js';

const llmgw = runBuiltCli;

interface Report {
  model: Record<string, unknown>;
  tokens: boolean;
  files: { summary: { examples: number; errors: number }; issueCounts: Record<string, number>; issues: { line: number; code: string; message: string }[]; tokens: unknown; billing: unknown }[];
}

const validate = async (args: string[]): Promise<{ code: number; report: Report; stderr: string }> => {
  const r = await llmgw(['--json', 'dataset', 'validate', 'datasets/chat-valid.jsonl', ...args]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
};

describe('dataset validate with a Bedrock or Vertex base model (built binary)', () => {
  it("applies each Bedrock model's format with line numbers, and counts no tokens for it", async () => {
    const nova = await validate(['--target', 'bedrock', '--model', 'amazon.nova-micro-v1:0:128k']);
    expect(nova.code, nova.stderr).toBe(0);
    expect(nova.report).toMatchObject({ tokens: false, model: { id: 'amazon.nova-micro-v1:0:128k', provider: 'bedrock', encoding: null, maxExampleTokens: null } });
    expect(nova.report.files[0]).toMatchObject({ summary: { examples: 52, errors: 0 }, tokens: null, billing: null });

    // Claude 3 Haiku takes no tools: the tool examples (lines 47-52 of the sample) are errors on their lines.
    const claude = await validate(['--target', 'bedrock', '--model', 'anthropic.claude-3-haiku-20240307-v1:0:200k']);
    expect(claude.code).toBe(1);
    const claudeLines = new Set(claude.report.files[0]?.issues.filter((i) => i.code === 'unknown_key').map((i) => i.line));
    expect([...claudeLines].sort((a, b) => a - b)).toEqual([47, 48, 49, 50, 51, 52]);
    expect(claude.report.files[0]?.issues.find((i) => i.line === 47)?.message).toMatch(/^Anthropic Claude 3 Haiku fine-tuning takes no tool/);

    // Llama 3.1 trains on one question and one answer: every multi-turn example is refused.
    const llama = await validate(['--target', 'bedrock', '--model', 'meta.llama3-1-8b-instruct-v1:0:128k', '--threads', '2']);
    expect(llama.code).toBe(1);
    expect(llama.report.files[0]?.issueCounts.model_cannot_train).toBe(26);
    expect(llama.report.files[0]?.issues.find((i) => i.code === 'model_cannot_train')).toMatchObject({ line: 27, message: expect.stringContaining('one question and one answer') });
  });

  it('names the Bedrock models for an id it does not know (exit 2), under --json too', async () => {
    const r = await llmgw(['--json', 'dataset', 'validate', 'datasets/chat-valid.jsonl', '--target', 'bedrock', '--model', 'amazon.nova-lite-v1:0']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'unknown_model', hint: expect.stringContaining('did you mean amazon.nova-lite-v1:0:300k') } });
  });

  it('takes a Gemini model with --target vertex (gemini-2.5-flash by default): the Vertex rules, tokens counted approximately and labelled so, no cost without --epochs and --price', async () => {
    const plain = await validate(['--threads', '0']);
    const plainTokens = plain.report.files[0]?.tokens as { total: number; max: number };
    const json = await validate(['--target', 'vertex', '--model', 'gemini-2.5-flash']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.report).toMatchObject({ tokens: true, model: { id: 'gemini-2.5-flash', provider: 'vertex', encoding: 'o200k_base', maxExampleTokens: 131_072, tokenizer: expect.stringContaining('gemma3') } });
    const tokens = json.report.files[0]?.tokens as { total: number; max: number; approximate: boolean; scale: number; limit: number };
    expect(tokens).toMatchObject({ approximate: true, scale: 1.068, limit: 131_072 });
    // Each example's o200k count × 1.068, rounded up: the same examples, about 6.8% more tokens.
    expect(tokens.max).toBe(Math.ceil(plainTokens.max * 1.068));
    expect(tokens.total).toBeGreaterThanOrEqual(Math.ceil(plainTokens.total * 1.068));
    expect(json.report.files[0]?.billing).toBeNull();
    expect(json.report.files[0]?.issueCounts.unknown_key).toBeGreaterThan(0); // `weight`, dropped on the way to Gemini
    const text = await llmgw(['dataset', 'validate', 'datasets/chat-valid.jsonl', '--target', 'vertex']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/tokens +≈ [\d,]+ \(approximate, o200k_base × 1\.068\)/);
    expect(text.stdout).toContain('not estimated: vertex picks the epoch count');
    expect(text.stdout).toContain('model gemini-2.5-flash (vertex; default, change with --model): tokens counted with o200k_base × 1.068 (approximate');
    const priced = await validate(['--target', 'vertex', '--model', 'gemini-2.5-pro', '--epochs', '2', '--price', '25']);
    expect(priced.report.files[0]?.billing).toMatchObject({ model: 'gemini-2.5-pro', epochs: 2, billedTokens: tokens.total * 2, priceSource: 'override' });
  });

  it('still refuses an unknown model without a target, pointing at --target', async () => {
    const r = await llmgw(['dataset', 'validate', 'datasets/chat-valid.jsonl', '--model', 'amazon.nova-micro-v1:0:128k']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target bedrock');
  });

  it('converts to a Bedrock model\'s format with --to bedrock --model', async () => {
    const r = await llmgw(['dataset', 'convert', 'datasets/chat-valid.jsonl', '-o', '-', '--to', 'bedrock', '--model', 'amazon.nova-micro-v1:0:128k']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(52);
    expect(lines[0]).toMatchObject({ schemaVersion: 'bedrock-conversation-2024', messages: [{ role: 'user' }, { role: 'assistant' }] });
  });
});
