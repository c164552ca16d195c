import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { candidateReport, comparisons } from '../../../src/core/eval/report.js';
import { evalWorld, qa, type EvalWorld } from './helpers.js';

let world: EvalWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** model "good" answers q1..q8 right; "half" answers only the odd ones right. */
const table = {
  good: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`q${i + 1}`, { text: `a${i + 1}`, usage: { input: 20, output: 2 } }])),
  half: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`q${i + 1}`, { text: i % 2 === 0 ? `a${i + 1}` : 'no idea', usage: { input: 20, output: 3 } }])),
};

describe('runEval through the OpenAI SDK against the chat fake', () => {
  it('scores each candidate on the same examples and compares them pairwise', async () => {
    world = await evalWorld(qa(8), { table });
    const good = await world.candidate('good');
    const half = await world.candidate('half');
    const out = await world.run([good, half]);
    expect(out.lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [g, h] = out.records.map((r) => candidateReport(r, 1));
    expect(g?.score.mean).toBe(1);
    expect(h?.score.mean).toBe(0.5);
    expect(h?.score.method).toBe('wilson');
    expect(h?.tokens).toMatchObject({ input: 160, output: 24, meanInput: 20, meanOutput: 3, reported: 8 });
    expect(g?.latencyMs.ttft.n).toBe(8); // streamed: a time to first token for every answer
    const [cmp] = comparisons(out.records, 1);
    expect(cmp).toMatchObject({ a: 'openai:good', b: 'openai:half', n: 8, wins: 4, ties: 4, losses: 0, pValue: 0.125, better: 'none' });
    expect(out.records[1]?.worst.map((w) => w.line)).toEqual([2, 4, 6, 8]);
    // The dataset's system turn went along; the reference did not.
    expect(world.upstream.requests[0]?.body.messages).toEqual([{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'q1' }]);
  });

  it('pays only for what is new: a re-run sends nothing, an added candidate only its own requests', async () => {
    world = await evalWorld(qa(8), { table });
    const good = await world.candidate('good');
    await world.run([good]);
    expect(world.upstream.models).toHaveLength(8);
    const again = await world.run([good]);
    expect(world.upstream.models).toHaveLength(8);
    expect(again.records[0]?.fromCache).toBe(8);
    expect(candidateReport(again.records[0]!, 1).score.mean).toBe(1);
    await world.run([good, await world.candidate('half')]);
    expect(world.upstream.models).toHaveLength(16);
    expect(world.upstream.responder.counts).toEqual({ good: 8, half: 8 });
  });

  it('waits out Retry-After for the whole provider and keeps the answer', async () => {
    world = await evalWorld(qa(2), { table: { slow: { q1: [{ status: 429, retryAfter: 1 }, { text: 'a1' }], q2: { text: 'a2' } } } });
    const started = Date.now();
    const out = await world.run([await world.candidate('slow')]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(world.limiter.pauses).toBe(1);
    expect(candidateReport(out.records[0]!, 1).score.mean).toBe(1);
  });

  it('stops with one message when a provider fails half the requests, keeping what came back', async () => {
    const flaky = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`q${i + 1}`, i % 2 ? { status: 500 } : { text: `a${i + 1}` }]));
    world = await evalWorld(qa(12), { table: { flaky } });
    const c = await world.candidate('flaky', { maxRetries: 0 });
    await expect(world.run([c])).rejects.toMatchObject({ code: 'candidate_failing', exitCode: 4, message: expect.stringMatching(/openai:flaky failed \d+ of its \d+ requests/) });
    const sentBefore = world.upstream.models.length;
    const cached = readFileSync(join(world.dir, '.llmgw', 'eval-cache.jsonl'), 'utf8').trim().split('\n').length;
    expect(cached).toBeGreaterThan(0);
    // The answers that came back are cached: a re-run asks only for the others.
    await expect(world.run([c])).rejects.toMatchObject({ code: 'candidate_failing' });
    expect(world.upstream.models.length - sentBefore).toBeLessThanOrEqual(12 - cached);
  });

  it('stops at once on a rejected key (exit 3) and on a model the provider does not have (exit 2)', async () => {
    world = await evalWorld(qa(6), { table, models: ['good'] });
    await expect(world.run([await world.candidate('good', { key: 'sk-wrong-key-000000000000' })])).rejects.toMatchObject({ code: 'provider_auth_failed', exitCode: 3 });
    await expect(world.run([await world.candidate('nope')])).rejects.toMatchObject({ code: 'candidate_not_found', exitCode: 2, message: expect.stringContaining('openai has no model "nope"') });
  });

  it('saves what came back when interrupted, and the same run resumes', async () => {
    const slow = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`q${i + 1}`, { text: `a${i + 1}`, delayMs: i < 2 ? 0 : 400 }]));
    world = await evalWorld(qa(8), { table: { slow } });
    const c = await world.candidate('slow');
    const ctl = new AbortController();
    const run = world.run([c], { signal: ctl.signal, onProgress: (p) => p.done === 2 && ctl.abort(new Error('interrupted')) });
    await expect(run).rejects.toMatchObject({ code: 'eval_interrupted', exitCode: 130 });
    const out = await world.run([c]);
    expect(out.records[0]?.fromCache).toBeGreaterThanOrEqual(2);
    expect(out.records[0]!.fromCache + out.records[0]!.sent).toBe(8);
    expect(candidateReport(out.records[0]!, 1).score.mean).toBe(1);
  });

  it('takes a deterministic sample with --limit and --seed', async () => {
    world = await evalWorld(qa(8), { table });
    const good = await world.candidate('good');
    const a = await world.run([good], { limit: 3, seed: 42 });
    const b = await world.run([good], { limit: 3, seed: 42 });
    const c = await world.run([good], { limit: 3, seed: 43 });
    const first = await world.run([good], { limit: 3 });
    expect(a.lines).toHaveLength(3);
    expect(b.lines).toEqual(a.lines);
    expect(c.lines).not.toEqual(a.lines);
    expect(first.lines).toEqual([1, 2, 3]);
  });
});
