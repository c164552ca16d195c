/**
 * The built CLI against files a user or a crash left behind: a lock a kill left empty, a folder
 * the user cannot write. Each is a clear outcome, never a 15 s wait or "llmgw hit a bug" (70).
 * Runs the built CLI (`npm run build` first).
 */
import { chmodSync, chownSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnLlmgw } from '../cli/models-helpers.js';

const A = 'ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345';
const B = 'ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12';
const tmp = () => mkdtempSync(join(tmpdir(), 'llmgw-e2e-files-'));

describe('files left behind', () => {
  it('a zero-byte lock left by a killed writer does not hold up the next one', async () => {
    const dir = tmp();
    expect((await spawnLlmgw(['models', 'register', 'bot', A], dir).done).code).toBe(0);
    writeFileSync(join(dir, 'llmgw.routes.json.lock'), '');
    const started = Date.now();
    const r = await spawnLlmgw(['models', 'register', 'bot', B], dir).done;
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.parse(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')).revision).toBe(2);
  });

  it('a folder the user cannot write is a usage error with the fix, not a bug', async () => {
    const dir = tmp();
    expect((await spawnLlmgw(['models', 'register', 'bot', A], dir).done).code).toBe(0);
    const before = readFileSync(join(dir, 'llmgw.routes.json'), 'utf8');
    // As root, permissions do not apply to us: run the CLI as an unprivileged user instead.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, 0o555);
    if (asRoot) for (const f of ['.test-config', 'llmgw.routes.json', 'llmgw.routes.history.jsonl']) chownSync(join(dir, f), 65534, 65534);
    const r = await spawnLlmgw(['models', 'register', 'bot', B], dir, {}, asRoot ? { uid: 65534, gid: 65534 } : undefined).done;
    chmodSync(dir, 0o755);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('cannot write');
    expect(r.stderr).toMatch(/chmod|--manifest/);
    expect(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')).toBe(before);
  });
});
