/**
 * The `application/vnd.amazon.eventstream` framing AWS streams answers in, written from AWS's
 * description of the format (big-endian throughout):
 *
 *   total length (4) | headers length (4) | prelude CRC32 (4, of the 8 bytes before)
 *   headers | payload | message CRC32 (4, of every byte before it)
 *
 * A header is name length (1), name (UTF-8), value type (1), and for a string (type 7) the value
 * length (2) and the value. The CRCs are CRC-32 as gzip computes it. Only string headers are
 * written: the three a Bedrock runtime event carries are strings. The SDK checks both CRCs and
 * every length as it reads, so a framing mistake here fails the tests that stream.
 */
import { crc32 } from 'node:zlib';

const STRING = 7;

function headerBytes(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    let o = h.writeUInt8(n.length, 0);
    o += n.copy(h, o);
    o = h.writeUInt8(STRING, o);
    o = h.writeUInt16BE(v.length, o);
    v.copy(h, o);
    parts.push(h);
  }
  return Buffer.concat(parts);
}

/** One message: its headers and its payload, framed and checksummed. */
export function encodeMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const h = headerBytes(headers);
  const total = 12 + h.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(h.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  h.copy(out, 12);
  payload.copy(out, 12 + h.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** An event of a stream (`:message-type: event`), its member's fields as the JSON payload. */
export function eventMessage(type: string, body: unknown): Buffer {
  return encodeMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify(body)));
}

/** A modelled exception inside a stream (`:message-type: exception`), e.g. `throttlingException`. */
export function exceptionMessage(type: string, message: string): Buffer {
  return encodeMessage({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, Buffer.from(JSON.stringify({ message })));
}

