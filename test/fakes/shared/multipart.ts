/**
 * A streaming multipart/form-data reader (RFC 7578). File parts are counted and hashed (SHA-256)
 * as they arrive; their bytes are kept only up to `keepBytes`, so a fake can take a 512 MB upload
 * without holding it. Only a delimiter's length of look-behind is buffered between chunks.
 */
import { createHash, type Hash } from 'node:crypto';

export interface ReceivedFile {
  filename: string;
  contentType: string;
  bytes: number;
  sha256: string;
  /** MD5 and bytes, when the part was no larger than `keepBytes`; otherwise null. */
  md5: string | null;
  content: Buffer | null;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Record<string, ReceivedFile>;
}

export class MultipartError extends Error {}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /^multipart\/form-data\s*;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

interface PartSink {
  name: string;
  filename: string | undefined;
  contentType: string;
  bytes: number;
  sha: Hash;
  kept: Buffer[] | null;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const FIELD_LIMIT = 64 * 1024;

/** Reads the whole body from `source`; `onBytes` sees the running total (for size limits and records). */
export async function readMultipart(
  source: AsyncIterable<Buffer>,
  boundary: string,
  opts: { keepBytes: number; onBytes?: (total: number) => void },
): Promise<MultipartBody> {
  // Prefixing CRLF makes the first delimiter look like every other one.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const result: MultipartBody = { fields: {}, files: {} };
  let buf: Buffer = Buffer.from('\r\n');
  // Widened on purpose: `step()` changes it, which TypeScript's narrowing does not see.
  let state = 'preamble' as 'preamble' | 'after' | 'headers' | 'body' | 'done';
  let part: PartSink | undefined;
  let total = 0;

  const write = (data: Buffer): void => {
    if (!part || data.length === 0) return;
    part.bytes += data.length;
    if (part.filename === undefined && part.bytes > FIELD_LIMIT) throw new MultipartError(`field ${part.name} is too large`);
    part.sha.update(data);
    if (part.kept) {
      if (part.bytes <= opts.keepBytes || part.filename === undefined) part.kept.push(Buffer.from(data));
      else part.kept = null;
    }
  };
  const finish = (): void => {
    if (!part) return;
    const content = part.kept ? Buffer.concat(part.kept) : null;
    if (part.filename === undefined) result.fields[part.name] = content?.toString('utf8') ?? '';
    else result.files[part.name] = { filename: part.filename, contentType: part.contentType, bytes: part.bytes, sha256: part.sha.digest('hex'), md5: content && createHash('md5').update(content).digest('hex'), content };
    part = undefined;
  };

  const step = (): boolean => {
    if (state === 'preamble' || state === 'body') {
      const at = buf.indexOf(delimiter);
      if (at < 0) {
        const safe = buf.length - (delimiter.length - 1);
        if (safe > 0) {
          if (state === 'body') write(buf.subarray(0, safe));
          buf = buf.subarray(safe);
        }
        return false;
      }
      if (state === 'body') write(buf.subarray(0, at));
      finish();
      buf = buf.subarray(at + delimiter.length);
      state = 'after';
      return true;
    }
    if (state === 'after') {
      if (buf.length < 2) return false;
      const two = buf.subarray(0, 2).toString('latin1');
      if (two === '--') state = 'done';
      else if (two === '\r\n') state = 'headers';
      else throw new MultipartError('malformed multipart delimiter');
      buf = buf.subarray(2);
      return state !== 'done';
    }
    if (state === 'headers') {
      const end = buf.indexOf(HEADER_END);
      if (end < 0) {
        if (buf.length > 16 * 1024) throw new MultipartError('part headers too large');
        return false;
      }
      part = sinkFor(buf.subarray(0, end).toString('utf8'));
      buf = buf.subarray(end + HEADER_END.length);
      state = 'body';
      return true;
    }
    return false;
  };

  for await (const chunk of source) {
    total += chunk.length;
    opts.onBytes?.(total);
    if (state === 'done') continue;
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (step());
  }
  if (state !== 'done') throw new MultipartError('multipart body ended before its closing delimiter');
  return result;
}

function sinkFor(headerText: string): PartSink {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw new MultipartError('part without a name');
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  return {
    name,
    filename: filename === undefined ? undefined : decodeURIComponentSafe(filename),
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    bytes: 0,
    sha: createHash('sha256'),
    kept: [],
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
