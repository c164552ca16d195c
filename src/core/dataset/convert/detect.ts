import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Container } from './types.js';

const PEEK_BYTES = 64 * 1024;

export interface DetectedContainer {
  container: Container;
  /** For csv/tsv: the field delimiter. */
  delimiter?: string;
}

/**
 * Tells the container from the first bytes: `[` is a JSON array, `{` JSON lines, anything else
 * a delimited table (tab-separated when the extension says so or the header has tabs and no
 * commas). Reads at most 64 KiB.
 */
export async function detectContainer(path: string): Promise<DetectedContainer> {
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(PEEK_BYTES);
    const { bytesRead } = await handle.read(buf, 0, PEEK_BYTES, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
  return containerOf(head, extname(path).toLowerCase());
}

export function containerOf(head: string, ext: string): DetectedContainer {
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('[')) return { container: 'json' };
  if (trimmed.startsWith('{')) return { container: 'jsonl' };
  const nl = trimmed.indexOf('\n');
  const firstLine = nl === -1 ? trimmed : trimmed.slice(0, nl);
  const tabs = ext === '.tsv' || ext === '.tab' || (firstLine.includes('\t') && !firstLine.includes(','));
  return tabs ? { container: 'tsv', delimiter: '\t' } : { container: 'csv', delimiter: ',' };
}
