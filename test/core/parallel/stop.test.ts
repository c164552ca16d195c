/**
 * Pools end their workers by asking them to stop, not by terminate(): on Node 22, a thread
 * terminated while V8 still evaluated a module with top-level await aborted the whole process
 * with SIGTRAP (a pool closed before its workers had loaded did that in CI). A worker asked to
 * stop, loaded or not, ends by itself with exit code 0, where terminate() gives 1. Only a worker
 * that does not stop within the grace period is terminated.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createChunkPool, workerFile } from '../../../src/core/parallel/pool.js';
import { stopWorker } from '../../../src/core/parallel/stop.js';
import { createTokenPool, resolveWorkerFile } from '../../../src/core/tokens/pool.js';

const TASK = { module: 'providers/vertex/format/chunk.js', name: 'geminiChunk' };

function ready(worker: Worker): Promise<void> {
  return new Promise((resolve) => worker.once('message', () => resolve()));
}

describe('stopWorker', () => {
  it('ends a chunk worker with code 0, whether it is still loading or loaded', async () => {
    const file = workerFile();
    expect(file).toBeDefined();
    const codes: (number | undefined)[] = [];
    for (const wait of [0, 1, 5, 20]) {
      const worker = new Worker(file as URL, { execArgv: [], workerData: TASK });
      await new Promise((r) => setTimeout(r, wait));
      codes.push(await stopWorker(worker));
    }
    const loaded = new Worker(file as URL, { execArgv: [], workerData: TASK });
    await ready(loaded);
    codes.push(await stopWorker(loaded));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
  });

  it('ends a token worker with code 0, also while it builds its preloaded rank table', async () => {
    const file = resolveWorkerFile();
    expect(file).toBeDefined();
    const loading = new Worker(file as URL, { execArgv: [], workerData: { preload: 'o200k_base' } });
    const loaded = new Worker(file as URL, { execArgv: [], workerData: {} });
    await ready(loaded);
    expect(await Promise.all([stopWorker(loading), stopWorker(loaded)])).toEqual([0, 0]);
  });

  it('terminates a worker that does not stop within the grace period (code 1), and skips one already ended', async () => {
    const stubborn = new Worker('setInterval(() => {}, 1000); require("node:worker_threads").parentPort.postMessage("ready");', { eval: true });
    await ready(stubborn);
    const started = Date.now();
    expect(await stopWorker(stubborn, 200)).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await stopWorker(stubborn)).toBeUndefined();
  });
});

describe('closing pools before their workers have loaded', () => {
  it('resolves for either kind, and the closed pool refuses work', async () => {
    for (let i = 0; i < 5; i++) {
      const chunks = createChunkPool(2, TASK);
      const tokens = createTokenPool({ threads: 2, preload: 'cl100k_base' });
      await Promise.all([chunks?.close(), tokens.close()]);
      await expect(tokens.count('chat', 'o200k_base', [])).rejects.toThrow(/closed/);
    }
  });
});
