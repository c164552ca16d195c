/**
 * The manifest under real processes: concurrent writers never lose an entry, and a writer
 * killed in the middle of its write leaves the previous manifest intact.
 * Runs the built CLI (`npm run build` first).
 */
import { mkdtempSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest, serializeManifest } from '../../src/core/manifest/parse.js';
import { readHistory } from '../../src/core/manifest/history.js';
import { emptyManifest, type Manifest } from '../../src/core/manifest/schema.js';
import { spawnLlmgw } from '../cli/models-helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'llmgw-e2e-models-'));
const ft = (i: number) => `ft:gpt-4.1-mini-2025-04-14:acme:run${i}:Id${String(i).padStart(6, '0')}`;

describe('concurrent writers', () => {
  it('20 `models register` processes on one manifest end with 20 models, revision 20 and a valid file', async () => {
    const dir = tmp();
    const runs = Array.from({ length: 20 }, (_, i) => spawnLlmgw(['models', 'register', 'support-bot', ft(i)], dir).done);
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual(Array(20).fill(0));
    const m = parseManifest(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8'));
    expect(Object.keys(m.models)).toHaveLength(20);
    expect(m.revision).toBe(20);
    expect(m.aliases['support-bot']?.targets).toHaveLength(20);
    expect(m.aliases['support-bot']?.targets.filter((t) => t.weight > 0)).toHaveLength(1);
    const history = await readHistory(join(dir, 'llmgw.routes.history.jsonl'));
    expect(history.skipped).toBe(0);
    expect(history.entries.map((e) => e.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await spawnLlmgw(['manifest', 'validate'], dir).done).code).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.lock'))).toEqual([]);
  }, 60_000);
});

/** A valid manifest big enough (several MB) that writing it takes a while. */
function bigManifest(models: number): Manifest {
  const m = emptyManifest(Date.UTC(2026, 10, 1));
  m.revision = 41;
  m.providers.openai = { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' };
  for (let i = 0; i < models; i += 1) {
    m.models[ft(i)] = { provider: 'openai', providerModelId: ft(i), baseModel: 'gpt-4.1-mini-2025-04-14', jobId: `ftjob-${i}`, createdAt: '2026-11-01T00:00:00.000Z', metrics: { valid_loss: 0.4, train_loss: 0.3 } };
  }
  m.aliases['support-bot'] = { targets: [{ id: 'support-bot.a', model: ft(0), role: 'stable', weight: 100, priority: 0 }], fallbacks: [] };
  return m;
}

describe('a writer killed mid-write', () => {
  it('leaves the previous manifest intact and parseable, and the next writer takes over its lock', async () => {
    const dir = tmp();
    const path = join(dir, 'llmgw.routes.json');
    const previous = serializeManifest(bigManifest(20_000));
    writeFileSync(path, previous);

    // Freeze the writer the moment its temp file appears (it is then between open and rename),
    // check the temp file is still there (so the rename has not happened), then SIGKILL it.
    // If a fast machine renames before the freeze lands, that attempt proves nothing: try again.
    let caught = 0;
    for (let attempt = 0; attempt < 5 && caught === 0; attempt += 1) {
      const writer = spawnLlmgw(['models', 'register', 'support-bot', ft(100_000 + attempt)], dir);
      const pid = writer.child.pid ?? 0;
      const watcher = watch(dir, (_event, name) => {
        if (typeof name === 'string' && name.endsWith('.tmp') && !writer.child.killed) {
          try {
            process.kill(pid, 'SIGSTOP');
          } catch {
            return; // already gone
          }
          if (readdirSync(dir).includes(name)) caught += 1; // this write's temp file, not yet renamed
          writer.child.kill('SIGKILL');
        }
      });
      const result = await writer.done;
      watcher.close();
      if (result.signal !== 'SIGKILL') continue; // finished before we saw the temp file
      expect(readFileSync(path, 'utf8')).toBe(previous);
    }
    expect(caught).toBeGreaterThan(0);
    const intact = parseManifest(readFileSync(path, 'utf8'));
    expect(intact.revision).toBe(41);

    // The dead writer's lock names a pid that is gone: the next writer takes it over at once.
    const next = await spawnLlmgw(['models', 'register', 'support-bot', ft(200_000)], dir).done;
    expect(next.code).toBe(0);
    expect(parseManifest(readFileSync(path, 'utf8')).revision).toBe(42);
    // The killed writer had logged revision 42 before its rename; the next write replaced that entry.
    const history = await readHistory(join(dir, 'llmgw.routes.history.jsonl'));
    expect(history.skipped).toBe(0);
    expect(history.entries.map((e) => [e.revision, 'model' in e ? e.model : undefined])).toEqual([[42, ft(200_000)]]);
  }, 90_000);
});
