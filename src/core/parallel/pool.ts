/**
 * Worker threads that run one task on chunks of lines (see line-chunks.ts), for commands that turn
 * every line of a large file into something else (converting to a provider's format). The task
 * is a function exported by a module of this package, named by its path under `dist/core`, which
 * each worker imports once as it starts. A chunk's bytes are transferred to the worker and back;
 * so is the result's `out` buffer, when it has one (it must own its ArrayBuffer:
 * `Buffer.allocUnsafeSlow`). Use `inOrder` (in-order.ts) to spread a file's chunks between the
 * workers and the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultThreads } from '../tokens/threads.js';
import { receiveError, type SentError } from './errors.js';
import { stopWorker } from './stop.js';
import type { LineChunk } from './line-chunks.js';

/** A task: `module` is a path under dist/core (e.g. `providers/vertex/format/chunk.js`), `name` its export `(chunk, arg) => result`. */
export interface ChunkTask {
  module: string;
  name: string;
}

/** Chunks a worker holds at once: one it works on and one waiting, so it never waits for this thread. */
const PER_WORKER = 2;

export type WorkerRequest = { id: number; chunk: LineChunk; arg: unknown };
export type WorkerResponse = { id: number; input: Uint8Array } & ({ result: unknown } | { error: SentError });
export const WORKER_READY = 'ready';

interface Slot {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  inFlight: number;
}

interface Pending {
  slot: Slot;
  resolve(r: { result: unknown; input: Uint8Array }): void;
  reject(err: Error): void;
}

export class ChunkPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private onStart: ((started: boolean) => void)[] = [];

  constructor(threads: number, task: ChunkTask, workerFile: URL) {
    for (let i = 0; i < threads; i++) this.slots.push(this.spawn(workerFile, task));
  }

  get threads(): number {
    return this.slots.length;
  }

  /** Resolves once a worker has started (true), or when none can (false). */
  started(): Promise<boolean> {
    if (this.slots.some((s) => s.ready && !s.dead)) return Promise.resolve(true);
    if (this.slots.every((s) => s.dead)) return Promise.resolve(false);
    return new Promise((resolve) => this.onStart.push(resolve));
  }

  /** Whether a started worker can take a chunk now. */
  canTake(): boolean {
    return this.free() !== undefined;
  }

  /** Runs the task on `chunk` in a worker (call only when `canTake()`); its buffer is transferred and comes back as `input`. */
  run<R>(chunk: LineChunk, arg: unknown): Promise<{ result: R; input: Uint8Array }> {
    const slot = this.free();
    if (slot === undefined || this.closed) return Promise.reject(new Error('no worker can take a chunk'));
    const id = this.nextId++;
    slot.inFlight++;
    slot.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve: resolve as Pending['resolve'], reject });
      const request: WorkerRequest = { id, chunk, arg };
      slot.worker.postMessage(request, [chunk.bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new Error('the worker pool was closed'));
    }
    await Promise.all(this.slots.map((s) => stopWorker(s.worker)));
  }

  private free(): Slot | undefined {
    let best: Slot | undefined;
    for (const s of this.slots) if (s.ready && !s.dead && s.inFlight < PER_WORKER && (best === undefined || s.inFlight < best.inFlight)) best = s;
    return best;
  }

  private spawn(workerFile: URL, task: ChunkTask): Slot {
    // A clean argv: flags of the parent's command line can be invalid in a worker.
    const worker = new Worker(workerFile, { execArgv: [], workerData: task });
    const slot: Slot = { worker, ready: false, dead: false, inFlight: 0 };
    worker.on('message', (m: WorkerResponse | typeof WORKER_READY) => {
      if (m === WORKER_READY) {
        slot.ready = true;
        for (const wake of this.onStart.splice(0)) wake(true);
        return;
      }
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (--slot.inFlight === 0) worker.unref();
      if ('error' in m) p.reject(receiveError(m.error));
      else p.resolve({ result: m.result, input: m.input });
    });
    const fail = (err: Error): void => {
      slot.dead = true;
      if (this.slots.every((s) => s.dead)) for (const wake of this.onStart.splice(0)) wake(false);
      for (const [id, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(id);
        p.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`a worker thread exited with code ${code}`));
    });
    // An idle pool never keeps the process alive: ref() only while a chunk is out (after the
    // listeners, since adding a 'message' listener refs the worker again).
    worker.unref();
    return slot;
  }
}

/** The built worker script (tests run the sources, whose workers still need JavaScript). */
export function workerFile(): URL | undefined {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../../dist/core/parallel/worker.js', import.meta.url)];
  return candidates.find((url) => existsSync(fileURLToPath(url)));
}

/** A pool of `threads` workers for `task`, or undefined when none is wanted or no built worker exists. */
export function createChunkPool(threads: number, task: ChunkTask): ChunkPool | undefined {
  const file = threads > 0 ? workerFile() : undefined;
  return file === undefined ? undefined : new ChunkPool(threads, task, file);
}

/** Below this a file is converted on the calling thread: a worker's start costs more than it saves. */
const WORKER_MIN_BYTES = 32 * 1024 * 1024;

/** Workers to start beside the calling thread for a file of `bytes`: one fewer than the CPUs (at most 7), none for small files. */
export function defaultWorkers(bytes: number): number {
  return bytes < WORKER_MIN_BYTES ? 0 : Math.max(0, defaultThreads() - 1);
}
