// Bedrock's S3 upload (lib-storage through llmgw's uploadToS3: parallel parts, progress, abort
// handling, content-hash key) as a ratio of a raw multipart loop of the same bytes to the same
// S3-compatible server: CreateMultipartUpload, the same parts with the same size and concurrency
// as UploadPart calls read straight from the file, CompleteMultipartUpload, with the same SDK
// client. The ratio is lib-storage's and llmgw's own cost. Target: ≥ 0.8. The server (s3rver)
// runs in a child process of its own. A third case converts each line to Nova's format on the way
// up, shown for information (no target).
import { Buffer } from 'node:buffer';
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureDataset } from './gen.mjs';
import { done, fmt, med, paired, ratioRow, timed } from './lib.mjs';

const MB = 1024 * 1024;
const PART = 8 * MB;
const QUEUE = 4;
const KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const dist = (path) => import(pathToFileURL(join(import.meta.dirname, '..', 'dist', path)).href);

function startServer() {
  const child = fork(join(import.meta.dirname, 's3rver-child.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (msg) => resolve({ url: msg.url, close: () => new Promise((r) => (child.send({ type: 'close' }), child.once('exit', r))) }));
  });
}

async function client(url) {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, credentials: KEY });
}

/** The multipart protocol by hand: the same parts, QUEUE at a time, each read from the file. */
async function rawMultipart(s3, file, bytes, key, m) {
  const { CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand } = m.sdk;
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'bench-data', Key: key }));
  const count = Math.ceil(bytes / PART);
  const parts = new Array(count);
  const fh = await open(file);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const length = Math.min(PART, bytes - i * PART);
      const body = Buffer.allocUnsafe(length);
      await fh.read(body, 0, length, i * PART);
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: 'bench-data', Key: key, UploadId, PartNumber: i + 1, Body: body, ContentLength: length }));
      parts[i] = { ETag, PartNumber: i + 1 };
    }
  };
  await Promise.all(Array.from({ length: Math.min(QUEUE, count) }, worker));
  await fh.close();
  await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'bench-data', Key: key, UploadId, MultipartUpload: { Parts: parts } }));
}

async function ours(s3, params, model, m) {
  const { uploadToS3 } = m.upload;
  const { findBedrockModel } = m.models;
  // A fresh prefix per run so nothing is reused.
  const prefix = { bucket: 'bench-data', key: `run-${process.pid}-${Date.now()}` };
  return uploadToS3(s3, { path: params.file, filename: 'bench.jsonl', sha256: params.sha256, bytes: params.bytes, model: model && findBedrockModel(model), prefix, partBytes: PART, concurrency: QUEUE });
}

const run = (fn) => async (params) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const server = await startServer();
  const s3 = await client(server.url);
  // Modules load before the clock starts: every case pays the same, outside the timing.
  const m = { sdk: await import('@aws-sdk/client-s3'), upload: await dist('core/providers/bedrock/upload.js'), models: await dist('core/providers/bedrock/models.js') };
  await import('@aws-sdk/lib-storage');
  const { result, seconds, cpuSeconds } = await timed(() => fn(s3, params, m));
  await server.close();
  return { mbps: params.bytes / MB / seconds, seconds, cpuSeconds, storedBytes: result?.bytes ?? params.bytes };
};

export default {
  name: 's3-upload',
  async setup(options) {
    // s3rver writes every part to disk and joins them: 64 MB keeps a round short on a shared machine.
    const file = ensureDataset({ mb: Math.min(options.mb, 64), seed: options.seed });
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file, { highWaterMark: MB })) hash.update(chunk);
    return { file, bytes: statSync(file).size, sha256: hash.digest('hex') };
  },
  cases: {
    raw: run((s3, p, m) => rawMultipart(s3, p.file, p.bytes, `raw-${process.pid}-${Date.now()}`, m)),
    libStorage: run(async (s3, p, m) => {
      const r = await ours(s3, p, undefined, m);
      if (r.bytes !== p.bytes) throw new Error(`uploaded ${r.bytes} bytes, not ${p.bytes}`);
      return r;
    }),
    convertNova: run((s3, p, m) => ours(s3, p, 'amazon.nova-lite-v1:0:300k', m)),
  },
  report(r, params) {
    const rows = [{ metric: 'file', value: `${(params.bytes / MB).toFixed(0)} MB, ${PART / MB} MB parts, ${QUEUE} at a time` }];
    if (done(r.raw)) rows.push({ metric: 'raw multipart loop, same SDK client (MB/s)', value: fmt(med(r.raw, 'mbps'), 0) });
    if (done(r.libStorage)) {
      rows.push({ metric: 'llmgw uploadToS3 via lib-storage (MB/s)', value: fmt(med(r.libStorage, 'mbps'), 0) });
      rows.push(ratioRow('lib-storage / raw multipart, same s3rver in a child process', paired(r.libStorage, r.raw, (x, y) => y.seconds / x.seconds), 0.8, '≥', paired(r.libStorage, r.raw, (x, y) => y.cpuSeconds / x.cpuSeconds)));
    }
    if (done(r.convertNova)) rows.push({ metric: 'converting to Nova on the way up (source MB/s)', value: fmt(med(r.convertNova, 'mbps'), 0) });
    return rows;
  },
};
