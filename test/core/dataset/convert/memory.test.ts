import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertFile } from '../../../../src/core/dataset/convert/run.js';

/** Writes a ~`mb` MB pretty-printed Alpaca JSON array without ever holding it in memory. */
async function writeBigArray(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('[\n');
  let bytes = 0;
  let i = 0;
  while (bytes < mb * 1e6) {
    const record = JSON.stringify({ instruction: `Summarise note ${i}.`, input: `Note ${i}: ${'the quarterly figures were revised upward after the audit; '.repeat(8)}`, output: `Note ${i} says the figures went up after the audit.` }, null, 2);
    const chunk = `${i === 0 ? '' : ',\n'}${record}`;
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
    i++;
  }
  out.end('\n]\n');
  await once(out, 'close');
  return i;
}

describe('convert memory', () => {
  it('converts a 64 MB JSON array with the heap flat (no whole-file buffering)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-convert-mem-'));
    try {
      const input = join(dir, 'big.json');
      const records = await writeBigArray(input, 64);
      expect(statSync(input).size).toBeGreaterThan(64e6);
      globalThis.gc?.();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      const r = await convertFile(input, join(dir, 'big.jsonl'), {
        onProgress: () => {
          peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        },
      });
      expect(r.written).toBe(records);
      // The file as JS strings would be >128 MB; streaming keeps the growth to a few chunks and
      // write batches (the cap leaves room for garbage the collector has not reclaimed yet).
      expect(peak).toBeLessThan(64 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
