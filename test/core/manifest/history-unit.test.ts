/**
 * The manifest and its history log as one recoverable unit: whatever a crash leaves between the
 * two, the next write repairs it, readers ignore it, and `rollback --to N` restores revision N
 * exactly or refuses.
 */
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasStateAt, historyPathFor, readHistory, type AliasHistoryEntry } from '../../../src/core/manifest/history.js';
import { registerModel } from '../../../src/core/manifest/register-job.js';
import { loadManifest, manifestHistory, updateManifest } from '../../../src/core/manifest/store.js';
import { promote } from '../../../src/core/manifest/transitions.js';
import { modelsWorld } from '../../cli/models-helpers.js';
import { A, B, C } from './helpers.js';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'llmgw-history-')), 'llmgw.routes.json');
const model = (id: string) => ({ id, provider: 'openai', providerModelId: id });

/** bot: A registered (r1), B candidate (r2), B canary 10% (r3), C candidate (r4). */
async function fourRevisions(path: string): Promise<void> {
  await registerModel({ path }, { alias: 'bot', model: model(A) });
  await registerModel({ path }, { alias: 'bot', model: model(B) });
  await updateManifest({ path }, (m) => promote(m, 'bot', B, { canary: 10 }));
  await registerModel({ path }, { alias: 'bot', model: model(C) });
}

const entriesOf = async (path: string) => (await readHistory(historyPathFor(path))).entries as AliasHistoryEntry[];

describe('a crash between the log and the manifest', () => {
  it('an entry for a revision the manifest never reached is ignored by readers and replaced by the next write', async () => {
    const path = tmp();
    await fourRevisions(path);
    const log = historyPathFor(path);
    // What a writer killed after its append and before its rename leaves: revision 5 in the log only.
    const orphan = { ...(await entriesOf(path))[3], revision: 5, action: 'promote', after: { targets: [], fallbacks: [] } };
    appendFileSync(log, `${JSON.stringify(orphan)}\n`);
    expect((await manifestHistory(path, 4)).map((e) => e.revision)).toEqual([1, 2, 3, 4]);
    expect(aliasStateAt(await manifestHistory(path), 'bot', 4, 4)).toMatchObject({ known: true, revision: 4 });

    const next = await updateManifest({ path }, (m) => promote(m, 'bot', C));
    expect(next.manifest.revision).toBe(5);
    const entries = await entriesOf(path);
    expect(entries.map((e) => `${e.revision}:${e.action}`)).toEqual(['1:register', '2:add-candidate', '3:canary', '4:add-candidate', '5:promote']);
    expect(entries[4]?.after?.targets.find((t) => t.model === C)?.weight).toBe(100);
  });

  it('a line cut short by a kill is cut off before the next append, so it swallows nothing', async () => {
    const path = tmp();
    await fourRevisions(path);
    const log = historyPathFor(path);
    appendFileSync(log, '{"revision":5,"at":"2026-11-24T12:00:00.000Z","action":"prom');
    await updateManifest({ path }, (m) => promote(m, 'bot', C));
    const read = await readHistory(log);
    expect(read.skipped).toBe(0);
    expect(read.entries.map((e) => e.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(readFileSync(log, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('reads an entry an older llmgw glued to a torn line', async () => {
    const path = tmp();
    await fourRevisions(path);
    const log = historyPathFor(path);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    writeFileSync(log, `${lines.slice(0, 3).join('\n')}\n{"revision":4,"at":"2026-11${lines[3]}\n`);
    const read = await readHistory(log);
    expect(read.entries.map((e) => e.revision)).toEqual([1, 2, 3, 4]);
    expect(read.skipped).toBe(1);
  });
});

describe('rollback --to N', () => {
  it('restores exactly the targets revision N had', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', B]);
    await w.run(['models', 'promote', 'bot', '--model', B, '--canary', '25']);
    await w.run(['models', 'promote', 'bot', '--model', B]);
    const r = await w.json<{ revision: number; targets: { model: string; role: string; weight: number }[] }>(['models', 'rollback', 'bot', '--to', '3']);
    expect(r.code).toBe(0);
    expect(r.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[A, 'stable', 75], [B, 'canary', 25]]);
  });

  it('refuses (exit 2, nothing written) when a revision between the last change and N is missing from the log', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', B]);
    await w.run(['models', 'promote', 'bot', '--model', B, '--canary', '25']);
    await w.run(['models', 'promote', 'bot', '--model', B]);
    // A crash of an older llmgw after its rename and before its append: revision 4 is not in the log.
    const log = historyPathFor(w.manifest);
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    writeFileSync(log, `${lines.slice(0, 3).join('\n')}\n`);
    const before = readFileSync(w.manifest, 'utf8');
    const r = await w.run(['models', 'rollback', 'bot', '--to', '4']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('revision 4 is missing from the history log');
    expect(readFileSync(w.manifest, 'utf8')).toBe(before);
    // what the log does hold exactly is still restorable
    expect((await w.run(['models', 'rollback', 'bot', '--to', '3'])).code).toBe(0);
  });

  it('refuses a revision past the manifest and one at which the alias did not exist', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'first', A]);
    await w.run(['models', 'register', 'bot', B]);
    expect((await w.run(['models', 'rollback', 'bot', '--to', '9'])).err).toContain('only at revision 2');
    const r = await w.run(['models', 'rollback', 'bot', '--to', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did not exist at revision 1');
  });
});

describe('read-only files', () => {
  it('a read-only manifest is refused with the fix, and stays as it was (content and mode)', async () => {
    const path = tmp();
    await fourRevisions(path);
    chmodSync(path, 0o444);
    const before = readFileSync(path, 'utf8');
    await expect(updateManifest({ path }, (m) => promote(m, 'bot', C))).rejects.toMatchObject({ code: 'manifest_read_only', exitCode: 2, hint: expect.stringContaining('chmod u+w') });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(statSync(path).mode & 0o777).toBe(0o444);
    expect((await loadManifest(path)).revision).toBe(4);
  });

  it('a read-only history log is refused before the manifest changes', async () => {
    const path = tmp();
    await fourRevisions(path);
    chmodSync(historyPathFor(path), 0o444);
    const before = readFileSync(path, 'utf8');
    await expect(updateManifest({ path }, (m) => promote(m, 'bot', C))).rejects.toMatchObject({ code: 'history_read_only', exitCode: 2 });
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it("a write keeps the manifest's mode and owner", async () => {
    const path = tmp();
    await fourRevisions(path);
    chmodSync(path, 0o640);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) (await import('node:fs')).chownSync(path, 4321, 4321);
    await updateManifest({ path }, (m) => promote(m, 'bot', C));
    const s = statSync(path);
    expect(s.mode & 0o777).toBe(0o640);
    if (asRoot) expect([s.uid, s.gid]).toEqual([4321, 4321]);
  });
});
