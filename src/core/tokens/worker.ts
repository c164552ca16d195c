import { parentPort, workerData } from 'node:worker_threads';
import { checkPackedLines } from '../dataset/line-check.js';
import { countLines } from './batch.js';
import { type EncodingName, getEncoder } from './encodings.js';
import { stopRequested } from '../parallel/stop.js';
import { type BatchRequest, type BatchResponse, WORKER_READY } from './pool.js';

// The worker side of the pool: count or check each batch it is sent and post the result back
// with the batch's id (a check's typed arrays are transferred, not copied). Anything thrown is
// reported for that batch; the worker keeps running until the pool asks it to stop.
parentPort?.on('message', (request: BatchRequest | string) => {
  if (typeof request === 'string') {
    if (parentPort) stopRequested(request, parentPort);
    return;
  }
  let response: BatchResponse;
  let transfer: ArrayBuffer[] = [];
  try {
    if (request.type === 'count') {
      response = { id: request.id, results: countLines(request.kind, request.encoding, request.batch) };
    } else {
      const checked = checkPackedLines(request.lines, request.options);
      response = { id: request.id, results: checked };
      transfer = [checked.lines, checked.flags, checked.detected, checked.hashes, checked.tokens].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
    }
  } catch (err) {
    response = { id: request.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(response, transfer);
});

// The rank table the run will count with, built now rather than when the first batch arrives.
const preload = (workerData as { preload?: EncodingName } | null)?.preload;
if (preload !== undefined) getEncoder(preload);

// Loaded: the pool may send work now (until then its caller can do the first batches itself).
parentPort?.postMessage(WORKER_READY);
