import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { sendError } from './errors.js';
import type { LineChunk } from './line-chunks.js';
import { WORKER_READY, type ChunkTask, type WorkerRequest, type WorkerResponse } from './pool.js';
import { stopRequested } from './stop.js';

// The worker side of pool.ts: import the task once, then run it on each chunk sent and post the
// result back with the chunk's buffer (and the result's `out` buffer) transferred.
type TaskFn = (chunk: LineChunk, arg: unknown) => unknown;

function serve(port: MessagePort, run: TaskFn): void {
  port.on('message', (request: WorkerRequest | string) => {
    if (typeof request === 'string') {
      stopRequested(request, port);
      return;
    }
    const { bytes } = request.chunk;
    // A Uint8Array arrives: the task gets the Buffer it would get on the calling thread.
    const chunk: LineChunk = { ...request.chunk, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    void (async () => {
      let response: WorkerResponse;
      const transfer: ArrayBuffer[] = [bytes.buffer as ArrayBuffer];
      try {
        const result = await run(chunk, request.arg);
        const out = (result as { out?: unknown } | null)?.out;
        if (out instanceof Uint8Array && out.buffer !== bytes.buffer) transfer.push(out.buffer as ArrayBuffer);
        response = { id: request.id, input: bytes, result };
      } catch (err) {
        response = { id: request.id, input: bytes, error: sendError(err) };
      }
      port.postMessage(response, transfer);
    })();
  });
  port.postMessage(WORKER_READY);
}

// No top-level await: a thread terminated while a module with one is still being evaluated can
// abort the process (see stop.ts). Messages sent meanwhile wait on the port until serve() listens.
const task = workerData as ChunkTask;
const port = parentPort;
if (port !== null) {
  import(new URL(`../${task.module}`, import.meta.url).href)
    .then((mod: Record<string, unknown>) => {
      const run = mod[task.name];
      if (typeof run !== 'function') throw new Error(`${task.module} exports no function ${task.name}`);
      serve(port, run as TaskFn);
    })
    .catch((err: unknown) => {
      // Thrown outside the promise, so the pool sees the worker's 'error' event and its exit.
      setImmediate(() => {
        throw err;
      });
    });
}
