/** `/v1/files`: multipart upload (streamed), retrieve, list, delete, content. */
import type { FileObject } from 'openai/resources/files';
import { randomId, type RequestContext, type Reply, type Router } from '../shared/http.js';
import { boundaryOf, MultipartError, readMultipart } from '../shared/multipart.js';
import { invalid, limitOf, missing, notFound } from './api-error.js';
import type { FakeContext } from './context.js';
import type { StoredFile } from './state.js';

const PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];
const MB = 1024 * 1024;

export function fileRoutes(router: Router, fake: FakeContext): void {
  router.on('POST', '/v1/files', (ctx) => createFile(ctx, fake));
  router.on('GET', '/v1/files', (ctx) => listFiles(ctx, fake));
  router.on('GET', '/v1/files/:file_id', (ctx) => ({ json: findFile(fake, ctx.params.file_id ?? '').object }));
  router.on('DELETE', '/v1/files/:file_id', (ctx) => {
    const f = findFile(fake, ctx.params.file_id ?? '');
    fake.state.files.delete(f.object.id);
    return { json: { id: f.object.id, object: 'file', deleted: true } };
  });
  router.on('GET', '/v1/files/:file_id/content', (ctx) => {
    const f = findFile(fake, ctx.params.file_id ?? '');
    if (!f.content) throw invalid(`The fake keeps no content for files over ${fake.opts.keepContentBytes} bytes.`, 'file_id');
    return { raw: f.content, contentType: 'application/octet-stream' };
  });
}

export function findFile(fake: FakeContext, id: string): StoredFile {
  const f = fake.state.files.get(id);
  if (!f) throw notFound(`No such File object: ${id}`, 'id');
  return f;
}

export function storeFile(fake: FakeContext, f: Omit<StoredFile, 'object'> & { filename: string; purpose: FileObject['purpose']; bytes: number }): StoredFile {
  const object: FileObject = { id: randomId('file-'), object: 'file', bytes: f.bytes, created_at: fake.clock.seconds(), filename: f.filename, purpose: f.purpose, status: 'processed' };
  const stored: StoredFile = { object, sha256: f.sha256, md5: f.md5, content: f.content };
  fake.state.files.set(object.id, stored);
  return stored;
}

async function createFile(ctx: RequestContext, fake: FakeContext): Promise<Reply> {
  const boundary = boundaryOf(ctx.req.headers['content-type']);
  if (!boundary) throw invalid('Invalid Content-Type header (expected multipart/form-data with a boundary).');
  let body;
  try {
    body = await readMultipart(ctx.req, boundary, {
      keepBytes: fake.opts.keepContentBytes,
      onBytes: (n) => (ctx.record.bodyBytes = n),
    });
  } catch (err) {
    if (err instanceof MultipartError) throw invalid(`Could not parse multipart form: ${err.message}.`);
    throw err;
  }
  const purpose = body.fields.purpose;
  const file = body.files.file;
  if (!file) throw missing('file');
  if (purpose === undefined) throw missing('purpose');
  if (!PURPOSES.includes(purpose)) throw invalid(`'${purpose}' is not one of ${PURPOSES.map((p) => `'${p}'`).join(', ')} - 'purpose'`, 'purpose');
  if (file.bytes > fake.opts.maxFileBytes) {
    throw invalid(`File is too large: ${file.bytes} bytes. The maximum is ${Math.round(fake.opts.maxFileBytes / MB)} MB; use the Uploads API for larger files.`, 'file', 'file_too_large');
  }
  if (purpose === 'fine-tune' && !file.filename.endsWith('.jsonl')) {
    throw invalid('Invalid file format for Fine-Tuning API. Must be .jsonl', 'file', 'invalid_file_format');
  }
  const stored = storeFile(fake, { filename: file.filename, purpose: purpose as FileObject['purpose'], bytes: file.bytes, sha256: file.sha256, md5: file.md5, content: file.content });
  return { json: stored.object };
}

function listFiles(ctx: RequestContext, fake: FakeContext): Reply {
  const purpose = ctx.query.get('purpose');
  const order = ctx.query.get('order') ?? 'desc';
  const limit = limitOf(ctx.query, 10000);
  let items = [...fake.state.files.values()].map((f) => f.object).filter((f) => !purpose || f.purpose === purpose);
  // Insertion order is creation order; ties on created_at keep it.
  if (order === 'desc') items = items.reverse();
  const after = ctx.query.get('after');
  let start = 0;
  if (after) start = items.findIndex((f) => f.id === after) + 1;
  const data = items.slice(start, start + limit);
  return { json: { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: start + limit < items.length } };
}
