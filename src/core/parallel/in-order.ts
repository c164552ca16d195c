/**
 * Spreads a file's chunks between worker threads and the calling thread, and gives the results
 * back in file order. A chunk goes to a worker that has room (each holds at most two); otherwise
 * this thread runs the task on it itself, so both kinds of thread stay busy and a pool still
 * starting costs nothing. An error comes out where its chunk is in the file: the first one wins.
 * At most a few chunks wait, whatever the file's size.
 */
import type { LineChunk, LineChunkReader } from './line-chunks.js';
import type { ChunkPool } from './pool.js';

interface Entry<R> {
  settled: boolean;
  value?: R;
  error?: unknown;
  wait?: Promise<void>;
}

/** Results this thread may run ahead of the oldest chunk still out with a worker. */
const AHEAD = 4;

/** How many chunks went to workers and how many this thread converted (for tests and --debug). */
export interface Placement {
  worker: number;
  local: number;
}

export async function* inOrder<R>(chunks: LineChunkReader, pool: ChunkPool | undefined, arg: unknown, local: (chunk: LineChunk) => R | Promise<R>, placed?: Placement): AsyncGenerator<R> {
  const queue: Entry<R>[] = [];
  const limit = (pool?.threads ?? 0) * 2 + AHEAD;
  try {
    for await (const chunk of chunks) {
      const entry: Entry<R> = { settled: false };
      if (pool !== undefined && chunk.tooLong === undefined && pool.canTake()) {
        if (placed) placed.worker++;
        entry.wait = pool.run<R>(chunk, arg).then(
          ({ result, input }) => {
            chunks.recycle(input);
            entry.value = result;
            entry.settled = true;
          },
          (err: unknown) => {
            entry.error = err;
            entry.settled = true;
          },
        );
      } else {
        if (placed) placed.local++;
        try {
          const r = local(chunk);
          if (r instanceof Promise) {
            entry.wait = r.then(
              (v) => {
                chunks.recycle(chunk.bytes);
                entry.value = v;
                entry.settled = true;
              },
              (err: unknown) => {
                entry.error = err;
                entry.settled = true;
              },
            );
          } else {
            chunks.recycle(chunk.bytes);
            entry.value = r;
            entry.settled = true;
          }
        } catch (err) {
          entry.error = err;
          entry.settled = true;
        }
      }
      queue.push(entry);
      while (queue.length > 0 && ((queue[0] as Entry<R>).settled || queue.length > limit)) yield await take(queue);
    }
    while (queue.length > 0) yield await take(queue);
  } finally {
    // Stopped early (an error, or the consumer left): let chunks still out finish quietly.
    await Promise.allSettled(queue.map((e) => e.wait));
  }
}

async function take<R>(queue: Entry<R>[]): Promise<R> {
  const entry = queue.shift() as Entry<R>;
  if (!entry.settled) await entry.wait;
  if (entry.error !== undefined) throw entry.error;
  return entry.value as R;
}
