import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { Ledger } from '../../../src/core/jobs/ledger.js';
import { draft } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

describe('Ledger', () => {
  it('appends, finds by ledger or provider id, and updates one entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgw-ledger-'));
    const ledger = new Ledger({ dir });
    const a = draft();
    const b = draft();
    await ledger.append(a);
    await ledger.append(b);
    await ledger.update(b.ledgerId, { state: 'created', providerJobId: 'ftjob-b', status: 'running' });
    expect((await ledger.find('ftjob-b'))?.ledgerId).toBe(b.ledgerId);
    expect((await ledger.find(a.ledgerId))?.state).toBe('creating');
    expect(await ledger.update('lj_missing', { status: 'failed' })).toBeUndefined();
    const text = await readFile(join(dir, '.llmgw', 'jobs.json'), 'utf8');
    expect(JSON.parse(text).jobs).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('stores paths relative to the manifest folder and reads absolute ones of older entries', () => {
    // Paths under the temp folder: nothing here names a folder of one machine.
    const root = join(tmpdir(), 'llmgw-ledger-paths');
    const ledger = new Ledger({ dir: join(root, 'project') });
    expect(ledger.storedPath(join(root, 'project', 'data', 'train.jsonl'))).toBe(join('data', 'train.jsonl'));
    expect(ledger.storedPath(join(root, 'shared', 'train.jsonl'))).toBe(join('..', 'shared', 'train.jsonl'));
    expect(ledger.filePath(join('data', 'train.jsonl'))).toBe(join(root, 'project', 'data', 'train.jsonl'));
    expect(ledger.filePath(join(root, 'old', 'train.jsonl'))).toBe(join(root, 'old', 'train.jsonl'));
  });

  it('knows whether another process is still creating an entry', () => {
    const now = Date.parse('2026-11-24T09:00:00Z');
    const alive = new Set([4242]);
    const ledger = new Ledger({ dir: join(tmpdir(), 'llmgw-ledger-owner'), owner: { pid: 1, isAlive: (pid) => alive.has(pid) }, now: () => now });
    const at = new Date(now - 60_000).toISOString();
    const host = ledger.creator()?.host ?? '';
    expect(ledger.isBeingCreated(draft({ creator: { pid: 4242, host }, updatedAt: at }))).toBe(true);
    expect(ledger.isBeingCreated(draft({ creator: { pid: 4243, host }, updatedAt: at }))).toBe(false);
    expect(ledger.isBeingCreated(draft({ creator: null, updatedAt: at }))).toBe(false);
    // Another host, or an entry of an older version: only the grace period says.
    expect(ledger.isBeingCreated(draft({ creator: { pid: 1, host: 'elsewhere' }, updatedAt: at }))).toBe(true);
    expect(ledger.isBeingCreated(draft({ creator: undefined, updatedAt: new Date(now - 3_600_000).toISOString() }))).toBe(false);
    expect(ledger.isBeingCreated(draft({ creator: { pid: 4242, host }, state: 'created', updatedAt: at }))).toBe(false);
  });

  it('does not append when the conflict check finds an entry', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgw-ledger-'));
    const ledger = new Ledger({ dir });
    const first = draft({ fingerprint: 'fp_same' });
    await ledger.append(first);
    const res = await ledger.append(draft({ fingerprint: 'fp_same' }), (jobs) => jobs.find((j) => j.fingerprint === 'fp_same'));
    expect(res).toMatchObject({ appended: false, job: { ledgerId: first.ledgerId } });
    expect(await ledger.jobs()).toHaveLength(1);
  });

  it('refuses a corrupt ledger with a config error instead of starting over', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgw-ledger-'));
    await mkdir(join(dir, '.llmgw'));
    await writeFile(join(dir, '.llmgw', 'jobs.json'), '{"jobs": [');
    const ledger = new Ledger({ dir });
    await expect(ledger.jobs()).rejects.toBeInstanceOf(ConfigError);
    await expect(ledger.append(draft())).rejects.toMatchObject({ code: 'ledger_corrupt' });
  });

  it('a ledger folder that cannot be created is a config error naming the file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgw-ledger-'));
    await writeFile(join(dir, 'not-a-folder'), '');
    const ledger = new Ledger({ dir: join(dir, 'not-a-folder') });
    await expect(ledger.append(draft())).rejects.toMatchObject({ code: 'ledger_unwritable', exitCode: 3 });
  });

  it('loses no entry when several processes append at once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'llmgw-ledger-'));
    const moduleUrl = new URL(`file://${join(ROOT, 'dist', 'core', 'jobs', 'ledger.js')}`).href;
    const script = `
      const { Ledger, newLedgerId } = await import(${JSON.stringify(moduleUrl)});
      const ledger = new Ledger({ dir: process.argv[1], owner: { pid: process.pid, isAlive: () => true } });
      for (let i = 0; i < 15; i++) {
        const now = new Date().toISOString();
        await ledger.append({ ledgerId: newLedgerId(), provider: 'openai', account: 'a', fingerprint: 'fp_' + process.pid + '_' + i, state: 'creating', providerJobId: null, status: null, baseModel: 'm', method: 'supervised', hyperparameters: {}, suffix: null, seed: null, metadata: {}, training: { path: 't', sha256: 's', bytes: 1, fileId: null }, validation: null, fineTunedModel: null, error: null, eventCursor: null, createdAt: now, updatedAt: now });
      }`;
    const runs = Array.from({ length: 5 }, () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { stdio: 'inherit' });
        child.on('close', resolve);
      }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0, 0]);
    const jobs = await new Ledger({ dir }).jobs();
    expect(jobs).toHaveLength(75);
    expect(new Set(jobs.map((j) => j.ledgerId)).size).toBe(75);
  });
});
