/** `/v1/uploads`: create, add part (streamed, size-limited), complete (ordered parts, byte total, md5), cancel, expiry. */
import { createHash } from 'node:crypto';
import type { FileObject } from 'openai/resources/files';
import type { Upload } from 'openai/resources/uploads/uploads';
import { randomId, readJson, type RequestContext, type Reply, type Router } from '../shared/http.js';
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { badJson, invalid, missing, notFound, unknownArgument } from './api-error.js';
import type { FakeContext } from './context.js';
import { storeFile } from './files.js';
import type { StoredUpload } from './state.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision'];
const JSONL_TYPES = ['text/jsonl', 'application/jsonl', 'application/x-ndjson'];
const HOUR = 3600;

export function uploadRoutes(router: Router, fake: FakeContext): void {
  router.on('POST', '/v1/uploads', (ctx) => createUpload(ctx, fake));
  router.on('POST', '/v1/uploads/:upload_id/parts', (ctx) => addPart(ctx, fake));
  router.on('POST', '/v1/uploads/:upload_id/complete', (ctx) => complete(ctx, fake));
  router.on('POST', '/v1/uploads/:upload_id/cancel', (ctx) => {
    const u = pendingUpload(fake, ctx.params.upload_id ?? '');
    u.object.status = 'cancelled';
    return { json: u.object };
  });
}

async function createUpload(ctx: RequestContext, fake: FakeContext): Promise<Reply> {
  const body = (await readJson(ctx, 64 * 1024, badJson)) as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') throw missing('bytes');
  for (const key of Object.keys(body)) if (!['bytes', 'filename', 'mime_type', 'purpose', 'expires_after'].includes(key)) throw unknownArgument(key);
  for (const key of ['bytes', 'filename', 'mime_type', 'purpose']) if (body[key] === undefined) throw missing(key);
  const { bytes, filename, mime_type: mimeType, purpose } = body;
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 1) throw invalid(`Invalid 'bytes': expected a positive integer.`, 'bytes');
  if (bytes > fake.opts.maxUploadBytes) throw invalid(`Upload is too large: ${bytes} bytes. The maximum is ${fake.opts.maxUploadBytes} bytes.`, 'bytes', 'upload_too_large');
  if (typeof filename !== 'string' || filename === '') throw invalid(`Invalid 'filename'.`, 'filename');
  if (typeof purpose !== 'string' || !PURPOSES.includes(purpose)) throw invalid(`'${String(purpose)}' is not one of ${PURPOSES.map((p) => `'${p}'`).join(', ')} - 'purpose'`, 'purpose');
  if (typeof mimeType !== 'string') throw invalid(`Invalid 'mime_type'.`, 'mime_type');
  if (purpose === 'fine-tune' && !JSONL_TYPES.includes(mimeType)) {
    throw invalid(`Invalid mime type '${mimeType}' for purpose 'fine-tune'. Supported types: ${JSONL_TYPES.join(', ')}.`, 'mime_type', 'invalid_mime_type');
  }
  const now = fake.clock.seconds();
  const object: Upload = { id: randomId('upload_'), object: 'upload', bytes, created_at: now, expires_at: now + HOUR, filename, purpose, status: 'pending', file: null };
  fake.state.uploads.set(object.id, { object, mimeType, parts: new Map(), completedOrder: null });
  return { json: object };
}

/** The upload, refreshed for expiry; 400 unless it is still pending. */
function pendingUpload(fake: FakeContext, id: string): StoredUpload {
  const u = fake.state.uploads.get(id);
  if (!u) throw notFound(`No such Upload object: ${id}`, 'upload_id');
  if (u.object.status === 'pending' && fake.clock.seconds() >= u.object.expires_at) u.object.status = 'expired';
  if (u.object.status !== 'pending') throw invalid(`Upload ${id} is ${u.object.status}; it no longer accepts changes.`, 'upload_id', 'upload_not_pending');
  return u;
}

async function addPart(ctx: RequestContext, fake: FakeContext): Promise<Reply> {
  const u = pendingUpload(fake, ctx.params.upload_id ?? '');
  const boundary = boundaryOf(ctx.req.headers['content-type']);
  if (!boundary) throw invalid('Invalid Content-Type header (expected multipart/form-data with a boundary).');
  let body;
  try {
    body = await readMultipart(ctx.req, boundary, { keepBytes: fake.opts.keepContentBytes, onBytes: (n) => (ctx.record.bodyBytes = n) });
  } catch (err) {
    if (err instanceof MultipartError) throw invalid(`Could not parse multipart form: ${err.message}.`);
    throw err;
  }
  const data = body.files.data;
  if (!data) throw missing('data');
  if (data.bytes > fake.opts.maxPartBytes) throw invalid(`Part is too large: ${data.bytes} bytes. Each part can be at most ${fake.opts.maxPartBytes} bytes.`, 'data', 'part_too_large');
  // The upload may have been cancelled while this part streamed in.
  pendingUpload(fake, u.object.id);
  const part = { id: randomId('part_'), object: 'upload.part' as const, created_at: fake.clock.seconds(), upload_id: u.object.id };
  u.parts.set(part.id, { object: part, bytes: data.bytes, sha256: data.sha256, content: data.content });
  return { json: part };
}

async function complete(ctx: RequestContext, fake: FakeContext): Promise<Reply> {
  const u = pendingUpload(fake, ctx.params.upload_id ?? '');
  const body = (await readJson(ctx, 1024 * 1024, badJson)) as { part_ids?: unknown; md5?: unknown } | undefined;
  const ids = body?.part_ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string')) throw missing('part_ids');
  if (new Set(ids).size !== ids.length) throw invalid('part_ids contains the same part more than once.', 'part_ids');
  const parts = ids.map((id) => {
    const p = u.parts.get(id);
    if (!p) throw invalid(`Part ${id} does not belong to upload ${u.object.id}.`, 'part_ids');
    return p;
  });
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  if (total !== u.object.bytes) {
    throw invalid(`The parts add up to ${total} bytes, but the upload was created with bytes=${u.object.bytes}.`, 'part_ids', 'upload_size_mismatch');
  }
  const content = parts.every((p) => p.content) ? Buffer.concat(parts.map((p) => p.content as Buffer)) : null;
  const md5 = content ? createHash('md5').update(content).digest('hex') : null;
  if (typeof body?.md5 === 'string' && md5 && body.md5 !== md5) throw invalid('The md5 checksum does not match the uploaded bytes.', 'md5', 'checksum_mismatch');
  const file = storeFile(fake, {
    filename: u.object.filename,
    purpose: u.object.purpose as FileObject['purpose'],
    bytes: total,
    sha256: content && createHash('sha256').update(content).digest('hex'),
    md5,
    content: content && content.length <= fake.opts.keepContentBytes ? content : null,
  });
  u.object.status = 'completed';
  u.object.file = file.object;
  u.completedOrder = ids as string[];
  return { json: u.object };
}
