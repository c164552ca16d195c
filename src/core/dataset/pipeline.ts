/**
 * How `validateStream` moves a file's lines through line-check.ts: all on the calling thread, or
 * through the worker pool with the results merged back in order (FileCheck.merge).
 */
import type { TokenPool } from '../tokens/pool.js';
import type { FileCheck } from './file-check.js';
import { type CheckedBatch, checkSlices, joinPacked, type LineCheckOptions, type PackedLines, packSlices } from './line-check.js';
import { type LineReaderOptions, type LineSource, readLineSlices } from './lines.js';
import type { TokenTally } from './token-tally.js';

/** Told after each read: bytes and lines read so far. */
export type Progress = (bytesRead: number, linesRead: number) => void;

/**
 * Reads of this size when this thread counts tokens. A read's line objects live while its lines
 * are checked; counting 256 KB takes ~35 ms, long enough for them to outlive two young-generation
 * collections and be promoted, and the old generation then grew by ~1 MB a second until a full
 * collection (one thread, 1 GB: peaks of 176 and 204 MB). With 64 KB reads it stayed flat (139 MB).
 */
const COUNTING_READ_BYTES = 64 * 1024;

/** Every line on the calling thread, one read at a time. Returns the bytes read. */
export async function checkInThread(source: LineSource, reader: LineReaderOptions, options: LineCheckOptions, run: FileCheck, tally: TokenTally | null, progress: Progress): Promise<number> {
  let bytes = 0;
  const reads = options.encoding === null ? reader : { ...reader, chunkBytes: COUNTING_READ_BYTES };
  for await (const batch of readLineSlices(source, reads)) {
    run.merge(checkSlices(batch.lines, options, run.profile), tally);
    bytes = batch.bytesRead;
    progress(bytes, batch.lines.at(-1)?.line ?? 0);
    if (run.stopped) break;
  }
  return bytes;
}

/** About this many bytes of lines go to a worker at once. */
const BATCH_BYTES = 128 * 1024;
/** Reads this thread may check ahead of the oldest batch still out with a worker. */
const HELP_AHEAD = 4;

/**
 * The threaded pipeline: this thread splits lines and packs them, the pool decodes, parses,
 * checks and counts, and the results are merged here in submission order, so the report is the
 * same as on one thread. At most `pool.capacity` batches are out at a time: memory stays flat.
 * Without counting, this thread also checks reads itself when no worker is free (measured on two
 * cores, one worker plus this thread beat two workers by ~20% on 100 MB: one fewer thread to
 * start and warm up, and no third thread competing for two cores).
 */
export async function checkInWorkers(
  source: LineSource,
  reader: LineReaderOptions,
  pool: TokenPool,
  options: LineCheckOptions,
  run: FileCheck,
  tally: TokenTally | null,
  progress: Progress,
): Promise<number> {
  // Results in file order: workers' batches and this thread's own, merged from the front.
  const inFlight: Promise<CheckedBatch>[] = [];
  let sent = 0; // of those, batches out with the workers
  // Without counting, this thread checks a read itself while the workers are all busy or still
  // starting (when counting, it would need a rank table of its own: ~50 MB more).
  const help = options.encoding === null;
  // Each read's lines are packed at once (the reader reuses its buffer); small packs, from a
  // stream's small chunks, are joined before they are sent.
  let parts: PackedLines[] = [];
  let partBytes = 0;
  let bytes = 0;
  const mergeOldest = async (): Promise<void> => {
    const checked = await (inFlight.shift() as Promise<CheckedBatch>);
    if (!run.stopped) run.merge(checked, tally);
  };
  const send = async (): Promise<void> => {
    while (sent >= pool.capacity) await mergeOldest();
    sent++;
    const pending = pool.check(options, joinPacked(parts));
    const settled = (): void => void sent--;
    pending.then(settled, settled); // (rejections are awaited in order by mergeOldest)
    inFlight.push(pending);
    parts = [];
    partBytes = 0;
  };
  try {
    for await (const batch of readLineSlices(source, reader)) {
      if (help && parts.length === 0 && (sent >= pool.capacity || !pool.ready)) {
        // Bounded: at most HELP_AHEAD of this thread's results wait behind a worker's batch.
        while (inFlight.length >= pool.capacity + HELP_AHEAD) await mergeOldest();
        inFlight.push(Promise.resolve(checkSlices(batch.lines, options, run.profile)));
        bytes = batch.bytesRead;
        progress(bytes, batch.lines.at(-1)?.line ?? 0);
        if (run.stopped) break;
        continue;
      }
      const packed = packSlices(batch.lines);
      parts.push(packed);
      partBytes += packed.data.length + packed.lines.length;
      bytes = batch.bytesRead;
      if (partBytes >= BATCH_BYTES) await send();
      progress(bytes, batch.lines.at(-1)?.line ?? 0);
      if (run.stopped) break;
    }
    if (parts.length > 0 && !run.stopped) await send();
    while (inFlight.length > 0 && !run.stopped) await mergeOldest();
  } finally {
    // Batches still out after an early stop or an error: let them finish so the pool is free
    // for the next file (their results are not needed).
    await Promise.allSettled(inFlight);
  }
  return bytes;
}
