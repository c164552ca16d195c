import { availableParallelism } from 'node:os';

const MAX_DEFAULT_THREADS = 8;

/**
 * os.availableParallelism(), capped at 8: the worker pool's default size. On its own so a caller
 * can size a pool without loading the pool (~12 ms) when it may not start one.
 */
export function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_DEFAULT_THREADS, availableParallelism()));
}
