import type { Io } from '../io.js';
import { printableJson } from './printable.js';

/** Processes (their Io) whose stdout is an NDJSON stream: an error then ends it as one more line. */
const streaming = new WeakSet<Io>();

/** Writes one NDJSON line under `--json` (tune start --wait, tune watch, tune deploy). */
export function writeJsonLine(io: Io, obj: Record<string, unknown>): void {
  streaming.add(io);
  // Provider words (event messages, states) are data: escaped like every JSON document llmgw prints.
  io.stdout.write(`${printableJson(JSON.stringify(obj))}\n`);
}

/** Whether this process's stdout already carries NDJSON lines. */
export function isJsonStream(io: Io): boolean {
  return streaming.has(io);
}
