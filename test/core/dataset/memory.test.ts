import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { validateStream } from '../../../src/core/dataset/validate.js';
import { createTokenPool } from '../../../src/core/tokens/pool.js';

const TARGET_BYTES = 200 * 1024 * 1024;
const HEAP_CAP = 96 * 1024 * 1024;

/** ~200 MB of distinct chat examples, made chunk by chunk as the reader asks (never one string). */
function generated(): Readable {
  let made = 0;
  let n = 0;
  const filler = 'Sync pauses when a file is locked by another program; close it and resume. '.repeat(12);
  return new Readable({
    read() {
      if (made >= TARGET_BYTES) {
        this.push(null);
        return;
      }
      const lines: string[] = [];
      for (let i = 0; i < 64; i++) {
        n++;
        lines.push(`{"messages":[{"role":"user","content":"Question ${n}: why is sync stuck?"},{"role":"assistant","content":"${filler}(${n})"}]}\n`);
      }
      const chunk = Buffer.from(lines.join(''));
      made += chunk.length;
      this.push(chunk);
    },
  });
}

describe('validate memory', () => {
  // With a worker, this thread also packs and merges: batches out at once stay bounded.
  const pool = createTokenPool({ threads: 1 });
  afterAll(() => pool.close());

  it.each([
    ['on this thread', undefined],
    ['with a worker thread', pool],
  ])('stays flat on a 200 MB stream %s: heap sampled during the run stays under a fixed cap', async (_how, workers) => {
    const samples: number[] = [];
    let bytes = 0;
    const report = await validateStream('generated.jsonl', generated(), { pool: workers, tokens: false }, {
      onProgress: (p) => {
        bytes = p.bytesRead;
        if (samples.length === 0 || p.examples % 512 < 64) {
          const m = process.memoryUsage();
          samples.push(m.heapUsed + m.arrayBuffers); // packed batches live in ArrayBuffers
        }
      },
    });
    expect(bytes).toBeGreaterThanOrEqual(TARGET_BYTES);
    expect(report.summary.examples).toBeGreaterThan(200_000);
    expect(report.summary.errors).toBe(0);
    expect(report.issueCounts).toEqual({});
    expect(samples.length).toBeGreaterThan(100);
    expect(Math.max(...samples)).toBeLessThan(HEAP_CAP);
  }, 60_000);
});
