import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAtomicWriteStream, writeFileAtomic } from '../../../src/core/fs/atomic.js';
import { LockTimeoutError, withLock } from '../../../src/core/fs/lock.js';

const dir = () => mkdtempSync(join(tmpdir(), 'llmgw-fs-'));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    const d = dir();
    const p = join(d, 'a.json');
    writeFileSync(p, 'old');
    await writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a.json']);
  });
});

describe('createAtomicWriteStream', () => {
  it('shows nothing at the target until commit', async () => {
    const d = dir();
    const p = join(d, 'out.jsonl');
    const w = createAtomicWriteStream(p);
    w.stream.write('line 1\n');
    expect(readdirSync(d)).not.toContain('out.jsonl');
    await w.commit();
    expect(readFileSync(p, 'utf8')).toBe('line 1\n');
    expect(readdirSync(d)).toEqual(['out.jsonl']);
  });

  it('abort leaves the previous file untouched and no temp file', async () => {
    const d = dir();
    const p = join(d, 'out.jsonl');
    writeFileSync(p, 'previous\n');
    const w = createAtomicWriteStream(p);
    w.stream.write('partial');
    await w.abort();
    expect(readFileSync(p, 'utf8')).toBe('previous\n');
    expect(readdirSync(d)).toEqual(['out.jsonl']);
  });
});

describe('withLock', () => {
  it('serialises concurrent read-modify-write cycles without losing any', async () => {
    const d = dir();
    const p = join(d, 'counter');
    writeFileSync(p, '0');
    await Promise.all(
      Array.from({ length: 25 }, () =>
        withLock(p, async () => {
          const n = Number(readFileSync(p, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFileAtomic(p, String(n + 1));
        }),
      ),
    );
    expect(readFileSync(p, 'utf8')).toBe('25');
    expect(readdirSync(d)).toEqual(['counter']);
  });

  it('takes over a lock whose owner process is gone', async () => {
    const d = dir();
    const p = join(d, 'm');
    writeFileSync(`${p}.lock`, JSON.stringify({ pid: 999_999, host: (await import('node:os')).hostname(), at: Date.now() }));
    const owner = { pid: 1, isAlive: (pid: number) => pid !== 999_999 };
    await expect(withLock(p, async () => 'ran', { owner, timeoutMs: 500 })).resolves.toBe('ran');
  });

  it('times out with the holder named when the lock is held by a live process', async () => {
    const d = dir();
    const p = join(d, 'm');
    writeFileSync(`${p}.lock`, JSON.stringify({ pid: 4242, host: 'elsewhere', at: Date.now() }));
    await expect(withLock(p, async () => 'ran', { timeoutMs: 100 })).rejects.toBeInstanceOf(LockTimeoutError);
  });
});
