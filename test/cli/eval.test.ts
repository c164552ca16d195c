import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { EvalReport } from '../../src/core/eval/report.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { memoryIo } from '../helpers/io.js';

const KEY = 'sk-test-eval-cli-0123456789';
let up: ChatUpstream;
let root: string;

/** "good" answers every question right, "half" the odd ones; "judge" passes answers that contain the reference. */
const table = {
  good: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, { text: `a${i + 1}`, usage: { input: 1000, output: 100 } }])),
  half: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, { text: i % 2 === 0 ? `a${i + 1}` : 'no idea', usage: { input: 1000, output: 100 } }])),
  flaky: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`q${i + 1}`, i < 5 ? { status: 500 } : { text: `a${i + 1}` }])),
};

beforeAll(async () => {
  up = await startChatUpstream({
    apiKey: KEY,
    table,
    fallback: (ask) => {
      if (ask.model !== 'judge') return { text: 'ok' };
      const ref = /## Reference answer\n(.*)\n/.exec(ask.prompt)?.[1] ?? '?';
      const graded = /## Answer to grade\n([\s\S]*)$/.exec(ask.prompt)?.[1] ?? '';
      return { text: JSON.stringify({ verdict: graded.includes(ref) ? 'pass' : 'fail', reason: 'compared with the reference' }), usage: { input: 200, output: 12 } };
    },
  });
  root = mkdtempSync(join(tmpdir(), 'llmgw-eval-cli-'));
});
afterAll(async () => {
  await up.close();
  rmSync(root, { recursive: true, force: true });
});

function project(lines: unknown[] = Array.from({ length: 10 }, (_, i) => ({ messages: [{ role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] }))): string {
  const dir = mkdtempSync(join(root, 'p-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'held.jsonl'), lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return dir;
}

async function llmgw(dir: string, argv: string[], env: Record<string, string> = { OPENAI_API_KEY: KEY }) {
  const io = memoryIo({ cwd: dir, env: { LLMGW_CONFIG_DIR: join(dir, '.config'), NO_COLOR: '1', OPENAI_BASE_URL: up.baseURL, ...env } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('llmgw eval', () => {
  it('prints every figure under --json and a table otherwise', async () => {
    const dir = project();
    const r = await llmgw(dir, ['--json', 'eval', '--data', 'held.jsonl', 'openai:good', 'openai:half', '--score', 'exact']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as EvalReport;
    expect(report.data).toMatchObject({ path: 'held.jsonl', examples: 10, sample: 'all', skipped: 0 });
    expect(report.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [good, half] = report.candidates;
    expect(good).toMatchObject({ name: 'openai:good', score: { mean: 1, n: 10, method: 'wilson' }, requests: { total: 10, sent: 10, fromCache: 0, failed: 0 } });
    expect(half?.score.mean).toBe(0.5);
    expect(half?.score.ci95[0]).toBeCloseTo(0.2366, 3);
    expect(half?.score.ci95[1]).toBeCloseTo(0.7634, 3);
    expect(report.comparisons[0]).toMatchObject({ wins: 5, ties: 5, losses: 0, pValue: 0.0625, better: 'none' });
    expect(report.worst['openai:half']?.[0]).toMatchObject({ line: 2, prompt: 'q2', reference: 'a2', answers: { 'openai:good': { text: 'a2', score: 1 }, 'openai:half': { text: 'no idea', score: 0 } } });

    const text = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:good', 'openai:half', '--score', 'exact']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/openai:half\s+0\.500\s+0\.237–0\.763\s+10/);
    expect(text.out).toContain('openai:good vs openai:half: 5 wins, 5 ties, 0 losses on 10 examples');
    expect(text.out).toContain('no significant difference');
    expect(up.responder.counts.good).toBe(10); // the second run came from the cache
  });

  it('names the fault in one message with the documented exit code', async () => {
    const dir = project();
    const unknown = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'nosuch-alias']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('"nosuch-alias" is not an alias, a registered model, or provider:model');
    const noKey = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:good'], {});
    expect(noKey.code).toBe(3);
    expect(noKey.err).toContain('OPENAI_API_KEY');
    writeFileSync(join(dir, 'bad.yaml'), 'criteria: ""\nscale: 1-10\n');
    const rubric = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:good', '--score', 'judge', '--judge', 'openai:judge', '--rubric', 'bad.yaml']);
    expect(rubric.code).toBe(2);
    expect(rubric.err).toContain('The judge rubric bad.yaml is not valid: "criteria" must say what a good answer does');
    const noRef = project([{ messages: [{ role: 'user', content: 'hi' }] }, '{oops']);
    const data = await llmgw(noRef, ['eval', '--data', 'held.jsonl', 'openai:good']);
    expect(data.code).toBe(2);
    expect(data.err).toContain('has no example with an assistant turn to compare answers with (line 1: no assistant turn to compare answers with, and 1 more)');
  });

  it('refuses to start above --max-cost, before any request', async () => {
    const dir = project();
    const before = up.models.length;
    const r = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:gpt-4.1', '--max-cost', '0.00001']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The 10 requests not in the cache would cost about \$0\.\d+, above --max-cost/);
    expect(up.models.length).toBe(before);
    const unpriced = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:good', '--max-cost', '5']);
    expect(unpriced.code).toBe(1);
    expect(unpriced.err).toContain('no price for openai:good');
    const ok = await llmgw(dir, ['--json', 'eval', '--data', 'held.jsonl', 'openai:good', '--max-cost', '5', '--price', 'openai:good=0.4,1.6']);
    expect(ok.code, ok.err).toBe(0);
    const report = JSON.parse(ok.out) as EvalReport;
    // 1000 in × $0.4/M + 100 out × $1.6/M = $0.00056 per request → $0.56 per 1,000.
    expect(report.candidates[0]?.cost.per1000RequestsUsd).toBeCloseTo(0.56, 10);
    expect(report.cost.spentUsd).toBeCloseTo(0.0056, 10);
  });

  it('exits 4 with the report when a provider fails half the requests', async () => {
    const dir = project();
    const r = await llmgw(dir, ['eval', '--data', 'held.jsonl', 'openai:flaky', '--max-retries', '0']);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/openai:flaky failed \d+ of its \d+ requests to openai, so llmgw stopped the eval/);
  });

  it('grades with a judge and keeps its prompt and verdicts', async () => {
    const dir = project();
    writeFileSync(join(dir, 'rubric.yaml'), 'name: same-answer\ncriteria: The answer gives the reference answer.\n');
    const r = await llmgw(dir, ['--json', 'eval', '--data', 'held.jsonl', 'openai:half', '--score', 'judge,exact', '--judge', 'openai:judge', '--rubric', 'rubric.yaml']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as EvalReport;
    expect(report.judge).toMatchObject({ model: 'openai:judge', scale: 'pass-fail', prompt: expect.stringContaining('The answer gives the reference answer.') });
    expect(report.candidates[0]?.scores.judge?.mean).toBe(0.5);
    expect(report.candidates[0]?.verdicts).toHaveLength(10);
    expect(report.candidates[0]?.verdicts?.[1]).toEqual({ line: 2, detail: 'fail: compared with the reference' });
  });

  it('evaluates each target of an alias from the manifest', async () => {
    const dir = project();
    for (const argv of [['models', 'register', 'bot', 'good'], ['models', 'register', 'bot', 'half']]) expect((await llmgw(dir, argv)).code).toBe(0);
    const r = await llmgw(dir, ['--json', 'eval', '--data', 'held.jsonl', 'bot', '--no-save']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as EvalReport;
    expect(report.candidates.map((c) => [c.alias, c.role, c.modelId, c.score.mean])).toEqual([
      ['bot', 'stable', 'good', 1],
      ['bot', 'candidate', 'half', 0.5],
    ]);
  });
});
