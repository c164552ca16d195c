import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkGate, parseGate } from '../../src/core/eval/gate.js';
import { parseManifest } from '../../src/core/manifest/parse.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';
import { memoryIo } from '../helpers/io.js';

const KEY = 'sk-test-eval-gate-0123456789';
const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:bot:St4bLe01';
const BETTER = 'ft:gpt-4.1-mini-2025-04-14:acme:bot:B3tTeR02';
const WORSE = 'ft:gpt-4.1-mini-2025-04-14:acme:bot:W0rSe003';
const N = 20;
let up: ChatUpstream;
let root: string;

/** Of 20 questions the stable model gets 14 right, the better one 19, the worse one 10 (a slow one). */
const rows = (right: (i: number) => boolean, delayMs = 0) => Object.fromEntries(Array.from({ length: N }, (_, i) => [`q${i}`, { text: right(i) ? `a${i}` : 'hmm', delayMs }]));

beforeAll(async () => {
  up = await startChatUpstream({ apiKey: KEY, table: { [STABLE]: rows((i) => i < 14), [BETTER]: rows((i) => i !== 3), [WORSE]: rows((i) => i % 2 === 0, 30) } });
  root = mkdtempSync(join(tmpdir(), 'llmgw-gate-'));
});
afterAll(async () => {
  await up.close();
  rmSync(root, { recursive: true, force: true });
});

async function world() {
  const dir = mkdtempSync(join(root, 'p-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'held.jsonl'), Array.from({ length: N }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] })).join('\n') + '\n');
  let t = Date.UTC(2026, 11, 1);
  const llmgw = async (...argv: string[]) => {
    const io = memoryIo({ cwd: dir, now: () => (t += 1000), env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: up.baseURL, LLMGW_CONFIG_DIR: join(dir, '.config'), NO_COLOR: '1', USER: 'ci' } });
    const code = await main(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
  for (const m of [STABLE, BETTER, WORSE]) expect((await llmgw('models', 'register', 'bot', m)).code).toBe(0);
  return { dir, llmgw, manifest: () => parseManifest(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')) };
}

describe('the promotion gate', () => {
  it('parses conditions and says which one does not', () => {
    expect(parseGate('score>=0.85, delta>=0,p95<=2s')).toEqual([
      { text: 'score>=0.85', metric: 'score', op: '>=', value: 0.85 },
      { text: 'delta>=0', metric: 'delta', op: '>=', value: 0 },
      { text: 'p95<=2s', metric: 'p95', op: '<=', value: 2000 },
    ]);
    expect(() => parseGate('score>=high')).toThrow(/"score>=high" is not METRIC OP NUMBER/);
    expect(() => parseGate('accuracy>0.9')).toThrow(/"accuracy" is not a metric/);
    expect(() => parseGate('score>=5s')).toThrow(/only p50 and p95 take a unit/);
  });

  it('stores the eval with each model, shows it, and promotes only what passes', async () => {
    const w = await world();
    const ev = await w.llmgw('eval', '--data', 'held.jsonl', 'bot', '--score', 'exact');
    expect(ev.code, ev.err).toBe(0);
    expect(ev.err).toContain(`eval summary stored with ${STABLE}, ${BETTER}, ${WORSE}`);
    const m = w.manifest();
    const better = m.models[BETTER]?.evals?.[0];
    expect(better).toMatchObject({ score: 0.95, dataHash: expect.stringMatching(/^[0-9a-f]{64}$/), scorer: 'exact@1', examples: 20, interval: { level: 0.95 } });
    expect(better?.vs?.[STABLE]).toMatchObject({ delta: 0.25 });
    expect(m.models[WORSE]?.evals?.[0]?.latencyMs?.p95).toBeGreaterThanOrEqual(30);

    const show = await w.llmgw('models', 'show', 'bot');
    expect(show.out).toMatch(/eval 0\.950 \(95% CI 0\.7\d\d–0\.99\d, 20 examples\) by exact@1 on data [0-9a-f]{12}…, p95 \d+ ms/);

    const refused = await w.llmgw('models', 'promote', 'bot', '--model', WORSE, '--canary', '10', '--gate', 'score>=0.6,delta>=0,p95<=10s');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`The gate "score>=0.6,delta>=0,p95<=10s" refused to move "bot" to ${WORSE}: score>=0.6 failed: score 0.500 (95% CI 0.299–0.701, 20 examples); delta>=0 failed: paired Δ -0.200`);
    expect(refused.err).toMatch(/paired Δ -0\.200 \(95% CI -?[\d.]+–-?[\d.]+, p = 0\.344\) vs ft:/);
    expect(w.manifest().aliases.bot?.targets.find((t) => t.model === WORSE)?.weight).toBe(0);

    const ok = await w.llmgw('models', 'promote', 'bot', '--model', BETTER, '--canary', '10', '--gate', 'score>=0.85,delta>=0,p95<=30s');
    expect(ok.code, ok.err).toBe(0);
    expect(w.manifest().aliases.bot?.targets.find((t) => t.model === BETTER)).toMatchObject({ role: 'canary', weight: 10 });
  });

  it('says in --json where the summary went, and prints the paid report even when the manifest cannot take it', async () => {
    const w = await world();
    const ev = await w.llmgw('--json', 'eval', '--data', 'held.jsonl', 'bot', '--score', 'exact');
    expect(ev.code, ev.err).toBe(0);
    expect(JSON.parse(ev.out)).toMatchObject({ saved: { manifest: 'llmgw.routes.json', revision: 4, models: [STABLE, BETTER, WORSE] } });
    chmodSync(join(w.dir, 'llmgw.routes.json'), 0o444);
    const ro = await w.llmgw('--json', 'eval', '--data', 'held.jsonl', 'bot', '--score', 'exact');
    chmodSync(join(w.dir, 'llmgw.routes.json'), 0o644);
    expect(ro.code).toBe(2);
    expect(JSON.parse(ro.out)).toMatchObject({ saved: null, candidates: [{ requests: { fromCache: 20 } }, {}, {}] });
    expect(ro.err).toContain('The eval summary was not stored in llmgw.routes.json');
    expect(ro.err).toContain('--no-save');
  });

  it('applies the alias gate policy, and --force overrides it with a record in the history', async () => {
    const w = await world();
    const m = JSON.parse(readFileSync(join(w.dir, 'llmgw.routes.json'), 'utf8'));
    m.aliases.bot.gate = 'delta>=0';
    writeFileSync(join(w.dir, 'llmgw.routes.json'), JSON.stringify(m, null, 2));
    // No eval yet: the gate cannot pass.
    const none = await w.llmgw('models', 'promote', 'bot', '--model', WORSE);
    expect(none.code).toBe(1);
    expect(none.err).toContain(`delta>=0 failed: ${WORSE} has no eval`);
    expect((await w.llmgw('eval', '--data', 'held.jsonl', 'bot', '--score', 'exact')).code).toBe(0);
    expect((await w.llmgw('models', 'promote', 'bot', '--model', WORSE)).code).toBe(1);
    const forced = await w.llmgw('models', 'promote', 'bot', '--model', WORSE, '--force', '--reason', 'hotfix');
    expect(forced.code, forced.err).toBe(0);
    const history = readFileSync(join(w.dir, 'llmgw.routes.history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(history.at(-1)).toMatchObject({ action: 'promote', model: WORSE, reason: expect.stringMatching(/^hotfix; gate "delta>=0" overridden with --force \(delta>=0 failed: paired Δ -0\.2/) });
    expect(history.filter((e) => e.action === 'eval')).toHaveLength(1);
    // The override is said at once, not only in the history, and --json carries the gate's figures.
    expect(forced.err).toContain('gate "delta>=0" overridden with --force');
    const better = await w.llmgw('--json', 'models', 'promote', 'bot', '--model', BETTER, '--canary', '10');
    expect(better.code, better.err).toBe(0);
    expect(JSON.parse(better.out)).toMatchObject({ gate: { expr: 'delta>=0', ok: true, overridden: false, conditions: [{ text: 'delta>=0', ok: true }] } });
  });

  it('compares a candidate with the stable model only on the same data and scorer', () => {
    const base = { provider: 'openai', createdAt: '2026-12-01T00:00:00.000Z' };
    const ev = (score: number, dataHash: string, date: string) => ({ score, interval: { low: score - 0.1, high: score + 0.05, level: 0.95 }, dataHash, scorer: 'exact@1', date, examples: 100 });
    const m = parseManifest({
      schemaVersion: 1,
      revision: 3,
      providers: { openai: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' } },
      models: {
        s: { ...base, providerModelId: 's', evals: [ev(0.8, 'd1', '2026-12-01T00:00:00Z')] },
        c: { ...base, providerModelId: 'c', evals: [ev(0.9, 'd1', '2026-12-01T00:00:00Z'), ev(0.5, 'd2', '2026-12-03T00:00:00Z')] },
      },
      aliases: { a: { targets: [{ id: 'a.s', model: 's', role: 'stable', weight: 100 }, { id: 'a.c', model: 'c', role: 'candidate', weight: 0 }] } },
    });
    const g = checkGate(m, 'a', 'c', 'score>=0.85,delta>=0.05,delta.low>=0');
    expect(g.candidate?.dataHash).toBe('d1');
    expect(g.conditions.map((c) => [c.ok, c.actual])).toEqual([[true, 0.9], [true, expect.closeTo(0.1, 10)], [false, null]]);
    expect(g.conditions[2]?.detail).toContain('no paired comparison with s');
  });
});
