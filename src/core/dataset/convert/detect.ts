import { extname } from 'node:path';
import type { Container } from './types.js';

export interface DetectedContainer {
  container: Container;
  /** For csv/tsv: the field delimiter. */
  delimiter?: string;
}

/**
 * Tells the container from the first text of the data (and the file name's extension): `[` is a
 * JSON array; `{` is JSON Lines, unless the first line is only the start of a pretty-printed
 * object (`{`, or a line ending in `{`, `[`, `,` or `:`), which makes it a JSON file of one or
 * more objects; empty data is null; anything else is a delimited table (tab-separated when the
 * extension says so or the header has tabs and no commas).
 */
export function containerOf(head: string, name: string): DetectedContainer | null {
  const ext = extname(name.replace(/\.gz$/i, '')).toLowerCase();
  const trimmed = head.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') return null;
  if (trimmed.startsWith('[')) return { container: 'json' };
  const nl = trimmed.indexOf('\n');
  const firstLine = (nl === -1 ? trimmed : trimmed.slice(0, nl)).trimEnd();
  if (trimmed.startsWith('{')) return /[{[,:]$/.test(firstLine) && nl !== -1 ? { container: 'json' } : { container: 'jsonl' };
  const tabs = ext === '.tsv' || ext === '.tab' || (firstLine.includes('\t') && !firstLine.includes(','));
  return tabs ? { container: 'tsv', delimiter: '\t' } : { container: 'csv', delimiter: ',' };
}
