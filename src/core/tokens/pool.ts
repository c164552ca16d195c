import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckedBatch, LineCheckOptions, PackedLines } from '../dataset/line-check.js';
import { stopWorker } from '../parallel/stop.js';
import { countLines, type LineCounts, type LineInput } from './batch.js';
import type { ExampleKind } from './count.js';
import type { EncodingName } from './encodings.js';
import { defaultThreads } from './threads.js';

export { defaultThreads } from './threads.js';

/**
 * Token counting spread over worker threads (DESIGN §8: counting is ~10x slower than parsing).
 *
 * How to drive it: read lines on the main thread, group them into batches of about 256 KB of
 * text, and keep at most `pool.capacity` (2 per thread) `count()` promises in flight, awaiting
 * the oldest before submitting another. Awaiting in submission order keeps results in file
 * order and memory bounded. A caller that submits more than twice the capacity without awaiting
 * gets a rejected promise: that is a bug in the caller, not a slow disk.
 */
export interface TokenPool {
  /** Worker threads counting; 0 when counting runs in the calling thread. */
  readonly threads: number;
  /** Batches that can be in flight at once (2 per thread, 1 in the calling thread). */
  readonly capacity: number;
  /** Why the pool fell back to the calling thread, when it did (no built worker file found). */
  readonly note: string | undefined;
  /**
   * Whether a worker has started and can take work now (always true for the calling thread).
   * Workers take ~50 ms to load; a caller may do the first batches itself meanwhile.
   */
  readonly ready: boolean;
  /** Parses and counts `batch`; resolves with one entry per line, in the batch's order. */
  count(kind: ExampleKind, encoding: EncodingName, batch: readonly LineInput[]): Promise<LineCounts[]>;
  /**
   * Runs `validate`'s per-line checks (dataset/line-check.ts) on packed lines, counting tokens
   * when `options.encoding` is set. `lines.data` is transferred to the worker: do not use it after.
   */
  check(options: LineCheckOptions, lines: PackedLines): Promise<CheckedBatch>;
  /** Ends the workers. Pending and later calls reject. */
  close(): Promise<void>;
}

export interface TokenPoolOptions {
  /** Worker threads; default os.availableParallelism() capped at 8; 0 counts in the calling thread. */
  threads?: number;
  /** The worker script; default: resolveWorkerFile(). */
  workerFile?: URL;
  /**
   * An encoding each worker loads as it starts, before it says it is ready: its rank table
   * (~0.3 s of CPU) is then built while the caller is still opening and reading the file,
   * instead of when the first batch arrives.
   */
  preload?: EncodingName | undefined;
}

/** Message from the pool to a worker. */
export type BatchRequest =
  | { id: number; type: 'count'; kind: ExampleKind; encoding: EncodingName; batch: readonly LineInput[] }
  | { id: number; type: 'check'; options: LineCheckOptions; lines: PackedLines };

/** Message from a worker back to the pool. */
export type BatchResponse = { id: number; results: LineCounts[] | CheckedBatch; error?: undefined } | { id: number; error: string; results?: undefined };

/** What a worker posts once its modules are loaded, before any batch. */
export const WORKER_READY = 'ready';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const IN_FLIGHT_PER_THREAD = 2;

/**
 * The compiled worker script. From `dist/` it sits next to this module. Under vitest this module
 * is the TypeScript source, which a worker thread cannot load, so the built copy in `dist/` is
 * used (`npm test` builds first). Undefined when neither exists.
 */
export function resolveWorkerFile(): URL | undefined {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../../dist/core/tokens/worker.js', import.meta.url)];
  return candidates.find((url) => existsSync(fileURLToPath(url)));
}

export function createTokenPool(options: TokenPoolOptions = {}): TokenPool {
  const threads = options.threads ?? defaultThreads();
  if (threads <= 0) return inThreadPool(undefined);
  const workerFile = options.workerFile ?? resolveWorkerFile();
  if (!workerFile) return inThreadPool('no built worker file (run `npm run build`); counting in the calling thread');
  return new WorkerPool(threads, workerFile, options.preload);
}

function inThreadPool(note: string | undefined): TokenPool {
  let closed = false;
  return {
    threads: 0,
    capacity: 1,
    note,
    ready: true,
    count: async (kind, encoding, batch) => {
      if (closed) throw new Error('token pool is closed');
      return countLines(kind, encoding, batch);
    },
    check: async (options, lines) => {
      if (closed) throw new Error('token pool is closed');
      const { checkPackedLines } = await import('../dataset/line-check.js');
      return checkPackedLines(lines, options);
    },
    close: async () => {
      closed = true;
    },
  };
}

interface Pending {
  resolve(results: LineCounts[] | CheckedBatch): void;
  reject(err: Error): void;
  slot: Slot;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  /** Whether this worker has started (or answered a batch): one that dies before that is not restarted. */
  answered: boolean;
}

class WorkerPool implements TokenPool {
  readonly note = undefined;
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Array<() => void> = [];
  private nextId = 1;
  private closed = false;
  /** Why the last worker that could not start failed; set once no worker is left. */
  private startFailure: Error | undefined;

  constructor(
    threads: number,
    private readonly workerFile: URL,
    private readonly preload: EncodingName | undefined,
  ) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn());
  }

  get threads(): number {
    return this.slots.length;
  }

  get ready(): boolean {
    return this.slots.some((slot) => slot.answered);
  }

  get capacity(): number {
    return Math.max(1, this.slots.length * IN_FLIGHT_PER_THREAD);
  }

  count(kind: ExampleKind, encoding: EncodingName, batch: readonly LineInput[]): Promise<LineCounts[]> {
    return this.submit({ type: 'count', kind, encoding, batch }, []) as Promise<LineCounts[]>;
  }

  check(options: LineCheckOptions, lines: PackedLines): Promise<CheckedBatch> {
    return this.submit({ type: 'check', options, lines }, [lines.data.buffer as ArrayBuffer]) as Promise<CheckedBatch>;
  }

  private async submit(message: DistributiveOmit<BatchRequest, 'id'>, transfer: ArrayBuffer[]): Promise<LineCounts[] | CheckedBatch> {
    if (this.closed) throw new Error('token pool is closed');
    let slot = this.freeSlot();
    while (!slot) {
      if (this.slots.length === 0) throw new Error(`token workers could not start: ${this.startFailure?.message ?? 'unknown error'}`);
      if (this.waiting.length >= this.capacity) {
        throw new Error(`token pool overloaded: more than ${this.capacity * 2} batches submitted without awaiting results`);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.closed) throw new Error('token pool is closed');
      slot = this.freeSlot();
    }
    const id = this.nextId++;
    const target = slot;
    target.inFlight++;
    target.worker.ref();
    return new Promise<LineCounts[] | CheckedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot: target });
      const request = { ...message, id } as BatchRequest;
      target.worker.postMessage(request, transfer);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      entry.reject(new Error('token pool is closed'));
    }
    await Promise.all(this.slots.map((slot) => stopWorker(slot.worker)));
  }

  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.inFlight < IN_FLIGHT_PER_THREAD && (!best || slot.inFlight < best.inFlight)) best = slot;
    return best;
  }

  private spawn(): Slot {
    // A clean argv: flags of the parent's command line (say --input-type) can be invalid in a worker.
    const worker = new Worker(this.workerFile, { execArgv: [], workerData: { preload: this.preload } });
    const slot: Slot = { worker, inFlight: 0, answered: false };
    worker.on('message', (response: BatchResponse | typeof WORKER_READY) => {
      slot.answered = true;
      if (response !== WORKER_READY) this.settle(response);
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => this.fail(slot, new Error(`token worker exited with code ${code}`)));
    // An idle pool never keeps the process alive; ref() while a batch is out. (After the listeners:
    // adding a 'message' listener refs the worker again.)
    worker.unref();
    return slot;
  }

  private settle(response: BatchResponse): void {
    const entry = this.pending.get(response.id);
    if (!entry) return;
    this.pending.delete(response.id);
    this.release(entry.slot);
    if (response.error !== undefined) entry.reject(new Error(`token worker failed: ${response.error}`));
    else entry.resolve(response.results);
  }

  private release(slot: Slot): void {
    slot.inFlight--;
    if (slot.inFlight === 0) slot.worker.unref();
    this.waiting.shift()?.();
  }

  /**
   * A worker died: fail its batches and start a fresh one in its place so the pool keeps working,
   * unless it never answered (a worker that cannot start would be restarted forever).
   */
  private fail(slot: Slot, err: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    for (const [id, entry] of this.pending) {
      if (entry.slot !== slot) continue;
      this.pending.delete(id);
      entry.reject(new Error(`token worker failed: ${err.message}`));
    }
    void slot.worker.terminate();
    if (slot.answered) {
      this.slots[index] = this.spawn();
    } else {
      this.slots.splice(index, 1);
      this.startFailure = err;
    }
    // Waiters re-check for a free worker (or find none left and fail).
    for (const wake of this.waiting.splice(0)) wake();
  }
}
