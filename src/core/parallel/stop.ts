/**
 * Ending a worker thread by asking it to stop, for both pools (parallel/pool.ts, tokens/pool.ts).
 *
 * `worker.terminate()` stops a thread wherever it is, and on Node 22 that can abort the whole
 * process: terminated while V8 still evaluates a module of the worker (one with top-level await),
 * a V8 check fails and the process dies with SIGTRAP. A pool that is closed before its workers
 * have loaded hit exactly that. So a pool posts `WORKER_STOP`; the worker closes its port once its
 * modules are loaded (a message waits on the port until then) and its thread ends when its last
 * task is done. Only a worker still running after the grace period is terminated.
 */
import type { MessagePort, Worker } from 'node:worker_threads';

export const WORKER_STOP = 'stop';

/** How long a worker has to end on its own before it is terminated. */
const GRACE_MS = 5000;

/**
 * Resolves once `worker` has ended, with its exit code (0 when it stopped as asked, 1 when it had
 * to be terminated), or undefined when it had already ended.
 */
export function stopWorker(worker: Worker, graceMs = GRACE_MS): Promise<number | undefined> {
  // threadId is -1 once the thread is no longer running (possibly before 'exit' is emitted).
  if (worker.threadId === -1) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => void worker.terminate(), graceMs);
    worker.once('exit', (code: number) => {
      clearTimeout(timer);
      resolve(code);
    });
    // An idle pool unrefs its workers; this wait must keep the process alive until the thread ends.
    worker.ref();
    worker.postMessage(WORKER_STOP);
  });
}

/** The worker side: whether `message` is the request to stop, which then closes `port`. */
export function stopRequested(message: unknown, port: MessagePort): boolean {
  if (message !== WORKER_STOP) return false;
  port.close();
  return true;
}
