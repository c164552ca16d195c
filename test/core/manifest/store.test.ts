import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyPathFor, readHistory, type AliasHistoryEntry } from '../../../src/core/manifest/history.js';
import { registerJobResult, registerModel } from '../../../src/core/manifest/register-job.js';
import { loadManifest, manifestHistory, updateManifest } from '../../../src/core/manifest/store.js';
import { promote, rollback } from '../../../src/core/manifest/transitions.js';
import { A, B, FIXTURES } from './helpers.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'llmgw-manifest-')), 'llmgw.routes.json');
let clock = Date.UTC(2026, 10, 24, 12);
const now = () => (clock += 1000);
const model = (id: string) => ({ id, provider: 'openai', providerModelId: id });

describe('manifest store', () => {
  it('register creates the manifest, bumps the revision on every write and logs each change', async () => {
    const path = tmp();
    const first = await registerModel({ path, now }, { alias: 'bot', model: model(A) });
    expect(first.created).toBe(true);
    expect(first.manifest.revision).toBe(1);
    const second = await registerModel({ path, now, reason: 'new data', who: 'ci' }, { alias: 'bot', model: model(B) });
    expect(second.manifest.revision).toBe(2);
    const third = await updateManifest({ path, now }, (m) => promote(m, 'bot', B, { canary: 10 }));
    expect(third.manifest.revision).toBe(3);
    expect((await loadManifest(path)).revision).toBe(3);
    expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
    const history = (await manifestHistory(path)) as AliasHistoryEntry[];
    expect(history.map((e) => [e.revision, e.action, e.alias])).toEqual([
      [1, 'register', 'bot'],
      [2, 'add-candidate', 'bot'],
      [3, 'canary', 'bot'],
    ]);
    expect(history[1]).toMatchObject({ reason: 'new data', who: 'ci', model: B });
    expect(history[2]?.before?.targets.map((t) => t.weight)).toEqual([100, 0]);
    expect(history[2]?.after?.targets.map((t) => t.weight)).toEqual([90, 10]);
    expect(historyPathFor(path)).toBe(join(path, '..', 'llmgw.routes.history.jsonl'));
    expect(readdirSync(join(path, '..')).sort()).toEqual(['llmgw.routes.history.jsonl', 'llmgw.routes.json']);
  });

  it('--expect-revision: writes at the expected revision, refuses (exit 1) and writes nothing otherwise', async () => {
    const path = tmp();
    await registerModel({ path, now }, { alias: 'bot', model: model(A) });
    await registerModel({ path, now }, { alias: 'bot', model: model(B) });
    const before = readFileSync(path, 'utf8');
    await expect(updateManifest({ path, now, expectRevision: 1 }, (m) => promote(m, 'bot', B))).rejects.toMatchObject({ code: 'revision_conflict', exitCode: 1, hint: expect.stringContaining('--expect-revision 2') });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await manifestHistory(path)).toHaveLength(2);
    const ok = await updateManifest({ path, now, expectRevision: 2 }, (m) => promote(m, 'bot', B));
    expect(ok.manifest.revision).toBe(3);
  });

  it('writes nothing when the change fails or leaves the manifest invalid', async () => {
    const path = tmp();
    await registerModel({ path, now }, { alias: 'bot', model: model(A) });
    const before = readFileSync(path, 'utf8');
    await expect(updateManifest({ path, now }, (m) => promote(m, 'bot', 'ft:nope'))).rejects.toMatchObject({ code: 'unknown_model' });
    await expect(
      updateManifest({ path, now }, (m) => ({ manifest: { ...m, aliases: { ...m.aliases, bot: { targets: [], fallbacks: [] } } }, action: 'rollback', alias: 'bot', before: null, after: null })),
    ).rejects.toMatchObject({ code: 'manifest_invalid', problems: [expect.objectContaining({ code: 'no_traffic' })] });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(await manifestHistory(path)).toHaveLength(1);
  });

  it('other changes need an existing manifest (usage error naming llmgw init)', async () => {
    const path = tmp();
    await expect(updateManifest({ path, now }, (m) => promote(m, 'bot', A))).rejects.toMatchObject({ code: 'manifest_not_found', exitCode: 2, hint: expect.stringContaining('llmgw init') });
    await expect(loadManifest(path)).rejects.toMatchObject({ code: 'manifest_not_found' });
  });

  it('refuses to write over a manifest that is already invalid', async () => {
    const path = tmp();
    writeFileSync(path, '{"schemaVersion": 1, "revision": 3, "providers": {}, "models": {}, "aliases": {}, "extra": true}\n');
    await expect(registerModel({ path, now }, { alias: 'bot', model: model(A) })).rejects.toMatchObject({ code: 'manifest_invalid' });
  });

  it('registerJobResult records the job provenance', async () => {
    const path = tmp();
    const r = await registerJobResult({ path, now }, { alias: 'bot', provider: 'openai', jobId: 'ftjob-1', fineTunedModel: A, baseModel: 'gpt-4o-mini-2024-07-18', datasetHash: 'abc123', metrics: { valid_loss: 0.5 } });
    expect(r.manifest.models[A]).toMatchObject({ jobId: 'ftjob-1', baseModel: 'gpt-4o-mini-2024-07-18', datasetHash: 'abc123', metrics: { valid_loss: 0.5 } });
    expect(r.manifest.providers.openai).toEqual({ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' });
    const again = await registerJobResult({ path, now }, { alias: 'bot', provider: 'openai', jobId: 'ftjob-2', fineTunedModel: B });
    expect(again.entry.action).toBe('add-candidate');
    expect(again.manifest.aliases.bot?.targets.find((t) => t.model === B)).toMatchObject({ role: 'candidate', weight: 0 });
  });

  it('keeps x- extension keys through a write', async () => {
    const path = tmp();
    writeFileSync(path, readFileSync(join(FIXTURES, 'routes.json'), 'utf8'));
    const r = await updateManifest({ path, now }, (m) => rollback(m, 'support-bot'));
    expect(r.manifest.revision).toBe(13);
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(written.aliases['support-eu']['x-owner']).toBe('eu-team');
    expect(written.providers.together['x-team']).toBe('ml-platform');
    expect(written.models['together-llama-support']['x-notes']).toBe('no base model recorded');
  });

  it('reads a history log whose last line was cut short by a crash', async () => {
    const path = tmp();
    await registerModel({ path, now }, { alias: 'bot', model: model(A) });
    writeFileSync(historyPathFor(path), `${readFileSync(historyPathFor(path), 'utf8')}{"revision": 2, "al`);
    const read = await readHistory(historyPathFor(path));
    expect(read.entries).toHaveLength(1);
    expect(read.skipped).toBe(1);
  });
});

describe('loadManifest on the request path', () => {
  it('returns the same checked, frozen manifest while the file is unchanged, and a new one after any change', async () => {
    const path = tmp();
    await registerModel({ path, now }, { alias: 'bot', model: model(A) });
    const first = await loadManifest(path);
    expect(await loadManifest(path)).toBe(first);
    expect(Object.isFrozen(first.aliases.bot?.targets[0])).toBe(true);
    // an llmgw write (a new file renamed into place)
    await registerModel({ path, now }, { alias: 'bot', model: model(B) });
    const second = await loadManifest(path);
    expect(second).not.toBe(first);
    expect(second.revision).toBe(2);
    // a hand edit in place, same size
    writeFileSync(path, readFileSync(path, 'utf8').replace('"revision": 2', '"revision": 7'));
    expect((await loadManifest(path)).revision).toBe(7);
    expect(await loadManifest(path, { cache: false })).not.toBe(await loadManifest(path));
  });
});
