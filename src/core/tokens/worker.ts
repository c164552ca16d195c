import { parentPort } from 'node:worker_threads';
import { countLines } from './batch.js';
import type { BatchRequest, BatchResponse } from './pool.js';

// The worker side of the token pool: count each batch it is sent and post the result back
// with the batch's id. Anything thrown is reported for that batch; the worker keeps running.
parentPort?.on('message', (request: BatchRequest) => {
  let response: BatchResponse;
  try {
    response = { id: request.id, results: countLines(request.kind, request.encoding, request.batch) };
  } catch (err) {
    response = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response);
});
