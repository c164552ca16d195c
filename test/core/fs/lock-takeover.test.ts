/**
 * Taking over a dead writer's lock: many writers find the same stale lock at once, and exactly one
 * of them may take it over at a time; a lock a kill left empty or unreadable is stale at once.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withLock } from '../../../src/core/fs/lock.js';

const DEAD_PID = 999_999;
const owner = { pid: process.pid, isAlive: (pid: number) => pid !== DEAD_PID };
const dir = () => mkdtempSync(join(tmpdir(), 'llmgw-lock-'));

/** One read-modify-write of a counter under the lock, slow enough for the others to pile up. */
async function increment(path: string, timeoutMs = 10_000): Promise<void> {
  await withLock(
    path,
    async () => {
      const n = Number(readFileSync(path, 'utf8'));
      await new Promise((r) => setTimeout(r, 2));
      writeFileSync(path, String(n + 1));
    },
    { owner, timeoutMs },
  );
}

describe('taking over a stale lock', () => {
  it('8 writers racing a dead writer’s lock lose nothing, 20 times over', async () => {
    const WRITERS = 8;
    for (let trial = 0; trial < 20; trial += 1) {
      const d = dir();
      const path = join(d, 'counter');
      writeFileSync(path, '0');
      writeFileSync(`${path}.lock`, JSON.stringify({ pid: DEAD_PID, host: hostname(), at: Date.now(), token: 'dead' }));
      // Staggered starts: a writer that judged the lock stale acts while another already took it over.
      await Promise.all(Array.from({ length: WRITERS }, (_, i) => new Promise((r) => setTimeout(r, (i * 7 + trial) % 5)).then(() => increment(path))));
      expect(readFileSync(path, 'utf8'), `trial ${trial}`).toBe(String(WRITERS));
      expect(readdirSync(d), `trial ${trial}`).toEqual(['counter']);
    }
  }, 60_000);

  it('a zero-byte lock left by a kill is taken over at once, not after the timeout', async () => {
    const d = dir();
    const path = join(d, 'counter');
    writeFileSync(path, '0');
    writeFileSync(`${path}.lock`, '');
    const started = Date.now();
    await increment(path, 2_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(readFileSync(path, 'utf8')).toBe('1');
  });

  it('a lock whose content is cut short or cannot be read is taken over at once', async () => {
    for (const content of ['{"pid": 12', '\u0000\u0000\u0000']) {
      const d = dir();
      const path = join(d, 'counter');
      writeFileSync(path, '0');
      writeFileSync(`${path}.lock`, content);
      await increment(path, 2_000);
      expect(readFileSync(path, 'utf8')).toBe('1');
    }
    const d = dir();
    const path = join(d, 'counter');
    writeFileSync(path, '0');
    writeFileSync(`${path}.lock`, 'x');
    chmodSync(`${path}.lock`, 0o000);
    await increment(path, 2_000);
    expect(readFileSync(path, 'utf8')).toBe('1');
  });

  it('a live holder’s lock is never taken over by the racers', async () => {
    const d = dir();
    const path = join(d, 'counter');
    writeFileSync(path, '0');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        withLock(
          path,
          async () => {
            inside += 1;
            most = Math.max(most, inside);
            await new Promise((r) => setTimeout(r, 3));
            inside -= 1;
          },
          { owner, timeoutMs: 10_000 },
        ),
      ),
    );
    expect(most).toBe(1);
  });
});
