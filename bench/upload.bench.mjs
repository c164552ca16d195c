// Upload throughput through the OpenAI adapter (Uploads API, parallel parts) as a ratio of a raw
// loopback upload of the same bytes to the same fake: the same Uploads calls made by hand over
// node:http with the same part size and concurrency (no SDK), so the ratio is the adapter's own
// cost. A single raw POST /v1/files is shown beside it. Target: ratio ≥ 0.8.
// The fake runs in a child process of its own in every case (it costs ~3x the client's CPU), and
// the file's SHA-256, which the adapter needs, is computed once in setup, outside every timing.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { request } from 'node:http';
import { basename } from 'node:path';
import { Buffer } from 'node:buffer';
import { buildFakeOpenAI, dist, startFakeInChild } from './fake-openai.mjs';
import { ensureDataset } from './gen.mjs';
import { done, fmt, med, paired, ratioRow, timed } from './lib.mjs';

const MB = 1024 * 1024;

const startFake = (fakeUrl, bytes) => startFakeInChild(fakeUrl, { maxFileBytes: bytes + MB, keepContentBytes: 0 });

async function sha256(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MB })) hash.update(chunk);
  return hash.digest('hex');
}

/** One multipart POST of bytes [start, end) of the file, built by hand and streamed from disk. */
function rawMultipart(fake, path, url, fields, fileField, start, end) {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${basename(path)}"\r\nContent-Type: application/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const headers = { authorization: `Bearer ${fake.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + (end - start) + tail.length };
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`raw upload: HTTP ${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path, { start, end: end - 1, highWaterMark: MB });
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

async function rawJson(fake, path, body) {
  const res = await globalThis.fetch(`${fake.baseURL}${path}`, { method: 'POST', headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`raw ${path}: HTTP ${res.status}`);
  return res.json();
}

/** The Uploads API by hand: create, the same parts with the same concurrency over node:http, complete. */
async function rawUploads(fake, path, bytes, partBytes, concurrency) {
  const upload = await rawJson(fake, '/uploads', { bytes, filename: basename(path), mime_type: 'text/jsonl', purpose: 'fine-tune' });
  const count = Math.ceil(bytes / partBytes);
  const ids = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const part = await rawMultipart(fake, path, `${fake.baseURL}/uploads/${upload.id}/parts`, {}, 'data', i * partBytes, Math.min(bytes, (i + 1) * partBytes));
      ids[i] = part.id;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return rawJson(fake, `/uploads/${upload.id}/complete`, { part_ids: ids });
}

export default {
  name: 'upload',
  async setup(options) {
    const file = ensureDataset({ mb: options.mb, seed: options.seed });
    return { file, bytes: statSync(file).size, sha256: await sha256(file), fakeUrl: buildFakeOpenAI() };
  },
  cases: {
    rawFiles: async ({ file, bytes, fakeUrl }) => {
      const fake = await startFake(fakeUrl, bytes);
      const { seconds, cpuSeconds } = await timed(() => rawMultipart(fake, file, `${fake.baseURL}/files`, { purpose: 'fine-tune' }, 'file', 0, bytes));
      await fake.close();
      return { mbps: bytes / MB / seconds, seconds, cpuSeconds };
    },
    rawUploads: async ({ file, bytes, fakeUrl }) => {
      const fake = await startFake(fakeUrl, bytes);
      const { OPENAI_LIMITS } = await dist('core/providers/openai/capabilities.js');
      const { seconds, cpuSeconds } = await timed(() => rawUploads(fake, file, bytes, OPENAI_LIMITS.uploadPartBytes, OPENAI_LIMITS.uploadConcurrency));
      await fake.close();
      return { mbps: bytes / MB / seconds, seconds, cpuSeconds };
    },
    adapter: async ({ file, bytes, sha256: digest, fakeUrl }) => {
      const fake = await startFake(fakeUrl, bytes);
      const { factory } = await dist('core/providers/openai/index.js');
      // Below the single-upload limit so the file goes through the Uploads API, with the adapter's own part size and concurrency.
      const provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseURL, uploadLimits: { maxSingleUploadBytes: 8 * MB } });
      const { result, seconds, cpuSeconds } = await timed(() => provider.upload({ path: file, bytes, sha256: digest }));
      const { count: parts, storedBytes } = await fake.stats({ match: 'POST /v1/uploads/*/parts', fileId: result.id });
      await fake.close();
      if (storedBytes !== bytes) throw new Error(`the fake stored ${storedBytes} bytes, not ${bytes}`);
      return { mbps: bytes / MB / seconds, seconds, cpuSeconds, parts, partMb: provider.capabilities.uploadPartBytes / MB };
    },
  },
  report(r, params) {
    const rows = [{ metric: 'file', value: `${(params.bytes / MB).toFixed(0)} MB` }];
    if (done(r.rawFiles)) rows.push({ metric: 'raw: one POST /v1/files over node:http (MB/s)', value: fmt(med(r.rawFiles, 'mbps'), 0) });
    if (done(r.rawUploads)) rows.push({ metric: 'raw: Uploads API by hand, same parts and concurrency (MB/s)', value: fmt(med(r.rawUploads, 'mbps'), 0) });
    if (done(r.adapter)) {
      const a = r.adapter[0];
      rows.push({ metric: `adapter: Uploads API through the SDK (${a.parts} parts of ${a.partMb} MB) (MB/s)`, value: fmt(med(r.adapter, 'mbps'), 0) });
      // Same bytes on both sides: raw time / adapter time; CPU is the client's alone (the fake has its own process).
      rows.push(ratioRow('adapter / raw Uploads, same fake in a child process', paired(r.adapter, r.rawUploads, (x, y) => y.seconds / x.seconds), 0.8, '≥', paired(r.adapter, r.rawUploads, (x, y) => y.cpuSeconds / x.cpuSeconds)));
      const single = paired(r.adapter, r.rawFiles, (x, y) => y.seconds / x.seconds);
      if (single !== null) rows.push({ metric: 'adapter / raw single POST', value: fmt(single.median, 2) });
    }
    return rows;
  },
};
