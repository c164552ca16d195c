// The routing manifest on the request path: a manifest of 1,000 aliases (two to four targets
// each, canaries, priority tiers, fallbacks), read and picked from the way a gateway calls the
// library, against a floor of bare JSON.parse and a weighted pick over the same file.
//
//   load + pick: every request calls loadManifest + resolveAlias + pickTarget (which re-reads the
//                file only when it changed: a stat per request) vs readFile + JSON.parse + a
//                weighted pick; and the same with the cache off (a full parse and check each time)
//   pick:        the manifest loaded once, then resolveAlias + pickTarget per request vs a
//                weighted pick on the parsed JSON
//   resolve CLI: `llmgw models resolve ALIAS --samples 1000 --json` as a process vs `node` reading,
//                parsing and drawing 1000 picks
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dist } from './fake-openai.mjs';
import { fmt, median, paired, ratioRow } from './lib.mjs';

const root = join(import.meta.dirname, '..');
const ALIASES = 1000;

// The library's own seeded generator, so every case draws the same aliases.
const { seededRandom: rng } = await dist('core/manifest/resolve.js');

/** A valid manifest of `n` aliases, written with the library's own serialiser. */
async function writeManifest(path, n, seed) {
  const { parseManifest, serializeManifest } = await dist('core/manifest/parse.js');
  const random = rng(seed);
  const m = { schemaVersion: 1, revision: 1000, updatedAt: '2026-11-24T12:00:00.000Z', providers: { openai: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' }, together: { type: 'together', apiKeyEnv: 'TOGETHER_API_KEY' } }, models: {}, aliases: {} };
  const model = (alias, i) => {
    const id = `ft:gpt-4.1-mini-2025-04-14:acme:${alias}:M${String(i).padStart(7, '0')}`;
    m.models[id] = { provider: i % 5 === 0 ? 'together' : 'openai', providerModelId: id, baseModel: 'gpt-4.1-mini-2025-04-14', jobId: `ftjob-${i}`, createdAt: '2026-11-01T00:00:00.000Z' };
    return id;
  };
  let next = 0;
  for (let a = 0; a < n; a += 1) {
    const alias = `alias-${String(a).padStart(4, '0')}`;
    const canary = random() < 0.3 ? Math.ceil(random() * 30) : 0;
    const targets = [{ id: `${alias}.s`, model: model(alias, next++), role: 'stable', weight: 100 - canary, priority: 0 }];
    if (canary) targets.push({ id: `${alias}.c`, model: model(alias, next++), role: 'canary', weight: canary, priority: 0 });
    targets.push({ id: `${alias}.p`, model: model(alias, next++), role: 'previous', weight: 0, priority: 0 });
    if (random() < 0.2) targets.push({ id: `${alias}.b`, model: model(alias, next++), role: 'stable', weight: 100, priority: 1 });
    m.aliases[alias] = { targets, fallbacks: a > 0 && random() < 0.3 ? [`alias-${String(a - 1).padStart(4, '0')}`] : [], ...(random() < 0.5 ? { retry: { attempts: 2, onStatus: [] }, timeoutMs: 30000 } : {}) };
  }
  writeFileSync(path, serializeManifest(parseManifest(m)));
}

/** The floor's pick: lowest tier with traffic, weight ÷ total, straight on the parsed JSON. */
function rawPick(doc, alias, random) {
  const targets = doc.aliases[alias].targets;
  let tier = Infinity;
  for (const t of targets) if (t.weight > 0 && t.priority < tier) tier = t.priority;
  let total = 0;
  for (const t of targets) if (t.weight > 0 && t.priority === tier) total += t.weight;
  let r = random() * total;
  for (const t of targets) if (t.weight > 0 && t.priority === tier && (r -= t.weight) < 0) return t;
  throw new Error(`no target for ${alias}`);
}

/** Runs `op` n times; picks per second and the 99th percentile of one op (µs). */
function measure(n, op) {
  const times = new Float64Array(n);
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    op(i);
    times[i] = performance.now() - t0;
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort();
  return { picksPerSecond: n / seconds, p99us: times[Math.floor(n * 0.99)] * 1000, seconds };
}

async function measureAsync(n, op) {
  const times = new Float64Array(n);
  const started = performance.now();
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await op(i);
    times[i] = performance.now() - t0;
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort();
  return { picksPerSecond: n / seconds, p99us: times[Math.floor(n * 0.99)] * 1000, seconds };
}

const names = (n) => Array.from({ length: n }, (_, a) => `alias-${String(a).padStart(4, '0')}`);
const LOADS = 200;
const UNCACHED = 30;
const PICKS = 200_000;
const SPAWNS = 5;

/** Median wall ms of `SPAWNS` runs of a command. */
function spawnMs(args) {
  const ms = [];
  for (let i = 0; i < SPAWNS; i += 1) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', LLMGW_CONFIG_DIR: join(root, 'bench', '.data', 'config') } });
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const FLOOR_RESOLVE = `
const doc = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
const t = doc.aliases[process.argv[2]].targets.filter((x) => x.weight > 0 && x.priority === 0);
const total = t.reduce((s, x) => s + x.weight, 0); const counts = {};
for (let i = 0; i < 1000; i++) { let r = Math.random() * total; for (const x of t) if ((r -= x.weight) < 0) { counts[x.id] = (counts[x.id] || 0) + 1; break; } }
process.stdout.write(JSON.stringify(counts));`;

export default {
  name: 'manifest',
  async setup(options) {
    const dir = join(root, 'bench', '.data');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `manifest-${ALIASES}.json`);
    await writeManifest(path, ALIASES, options.seed);
    return { path, seed: options.seed };
  },
  cases: {
    floorLoad: async ({ path, seed }) => {
      const random = rng(seed);
      const all = names(ALIASES);
      return measure(LOADS, () => rawPick(JSON.parse(readFileSync(path, 'utf8')), all[Math.floor(random() * ALIASES)], random));
    },
    ourLoad: async ({ path, seed }) => {
      const { loadManifest } = await dist('core/manifest/store.js');
      const { resolveAlias, pickTarget } = await dist('core/manifest/resolve.js');
      const random = rng(seed);
      const all = names(ALIASES);
      return measureAsync(LOADS, async () => pickTarget(resolveAlias(await loadManifest(path), all[Math.floor(random() * ALIASES)]), random));
    },
    ourLoadUncached: async ({ path, seed }) => {
      const { loadManifest } = await dist('core/manifest/store.js');
      const { resolveAlias, pickTarget } = await dist('core/manifest/resolve.js');
      const random = rng(seed);
      const all = names(ALIASES);
      return measureAsync(UNCACHED, async () => pickTarget(resolveAlias(await loadManifest(path, { cache: false }), all[Math.floor(random() * ALIASES)]), random));
    },
    floorPick: async ({ path, seed }) => {
      const doc = JSON.parse(readFileSync(path, 'utf8'));
      const random = rng(seed);
      const all = names(ALIASES);
      return measure(PICKS, () => rawPick(doc, all[Math.floor(random() * ALIASES)], random));
    },
    ourPick: async ({ path, seed }) => {
      const { loadManifest } = await dist('core/manifest/store.js');
      const { resolveAlias, pickTarget } = await dist('core/manifest/resolve.js');
      const m = await loadManifest(path);
      const random = rng(seed);
      const all = names(ALIASES);
      return measure(PICKS, () => pickTarget(resolveAlias(m, all[Math.floor(random() * ALIASES)]), random));
    },
    floorResolveCli: async ({ path }) => ({ ms: spawnMs(['-e', FLOOR_RESOLVE, path, 'alias-0500']) }),
    ourResolveCli: async ({ path }) => ({ ms: spawnMs([join(root, 'bin', 'llmgw.js'), 'models', 'resolve', 'alias-0500', '--manifest', path, '--samples', '1000', '--json']) }),
  },
  report(r) {
    const rate = (rounds) => (rounds?.length ? `${fmt(median(rounds.map((x) => x.picksPerSecond)), 0)}/s, p99 ${fmt(median(rounds.map((x) => x.p99us)), 1)} µs` : 'n/a');
    return [
      { metric: `load + pick, floor (readFile + JSON.parse + pick, ${ALIASES} aliases)`, value: rate(r.floorLoad) },
      { metric: 'load + pick, llmgw (loadManifest + resolveAlias + pickTarget)', value: rate(r.ourLoad) },
      ratioRow('load + pick: llmgw / floor picks per second', paired(r.ourLoad, r.floorLoad, (a, b) => a.picksPerSecond / b.picksPerSecond), 1, '≥'),
      { metric: 'load + pick, llmgw with the cache off (a full parse and check each time)', value: rate(r.ourLoadUncached) },
      ratioRow('load + pick, cache off: llmgw / floor picks per second', paired(r.ourLoadUncached, r.floorLoad, (a, b) => a.picksPerSecond / b.picksPerSecond), 0.1, '≥'),
      { metric: 'pick, floor (weighted pick on parsed JSON)', value: rate(r.floorPick) },
      { metric: 'pick, llmgw (resolveAlias + pickTarget on a loaded manifest)', value: rate(r.ourPick) },
      ratioRow('pick: llmgw / floor picks per second', paired(r.ourPick, r.floorPick, (a, b) => a.picksPerSecond / b.picksPerSecond), 0.5, '≥'),
      { metric: 'models resolve --samples 1000 (process), floor: node + JSON.parse + 1000 picks', value: r.floorResolveCli?.length ? `${fmt(median(r.floorResolveCli.map((x) => x.ms)), 0)} ms` : 'n/a' },
      { metric: 'models resolve --samples 1000 (process), llmgw', value: r.ourResolveCli?.length ? `${fmt(median(r.ourResolveCli.map((x) => x.ms)), 0)} ms` : 'n/a' },
      ratioRow('models resolve: llmgw / floor wall time', paired(r.ourResolveCli, r.floorResolveCli, (a, b) => a.ms / b.ms), 8, '≤'),
    ];
  },
};
