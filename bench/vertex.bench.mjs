// Vertex AI data path, each against a floor measured in the same run:
//   upload:  the adapter's resumable upload to Cloud Storage (8 MiB chunks, 308 + Range between
//            them) vs a raw chunked PUT loop of the same bytes to the same fake (the same session
//            protocol by hand over node:http, chunks read straight from disk). Target ≥ 0.8.
//   convert: OpenAI chat JSONL → Vertex tuning JSONL as tune start streams it into the upload
//            (split, JSON.parse, convert, JSON.stringify) vs a bare split + JSON.parse of the
//            same file. Target ≥ 0.7.
// The fake Cloud Storage (test/fakes/gcs, TypeScript) is compiled into bench/.data/ and runs in a
// child process of its own, so its work is not timed as the client's.
import { execFileSync, fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Buffer } from 'node:buffer';
import { ensureDataset } from './gen.mjs';
import { done, fmt, forEachLine, mbOf, med, paired, ratioRow, timed } from './lib.mjs';

const root = join(import.meta.dirname, '..');
const out = join(root, 'bench', '.data', 'fake-gcs');
const CHUNK = 8 * 1024 * 1024;
const dist = (path) => import(pathToFileURL(join(root, 'dist', path)).href);

function buildFakeGcs() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '--outDir', out, '--rootDir', root, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--types', 'node', join(root, 'test', 'fakes', 'gcs', 'server.ts')], { stdio: 'inherit' });
  const entry = join(out, 'test', 'fakes', 'gcs', 'server.js');
  if (!existsSync(entry)) throw new Error(`building the fake left no ${entry}`);
  return pathToFileURL(entry).href;
}

/** The fake in a child process: { host, size(name), close() }. */
async function startFake(fakeUrl) {
  const child = fork(join(import.meta.dirname, 'fake-gcs-child.mjs'), [fakeUrl], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reply = (type) => new Promise((resolve) => child.on('message', (m) => m.type === type && resolve(m)));
  const ready = await reply('ready');
  return {
    host: ready.host,
    size: (name) => {
      const answer = reply('size');
      child.send({ type: 'size', name });
      return answer.then((m) => m.bytes);
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.send({ type: 'close' });
      await exited;
    },
  };
}

function http(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { method, headers: { ...headers, 'content-length': body ? body.length : 0 } }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The resumable protocol by hand: start a session, PUT 8 MiB chunks read from disk, the last with the total. */
async function rawUpload(host, file, bytes, name) {
  const start = await http('POST', `http://${host}/upload/storage/v1/b/llmgw-data/o?uploadType=resumable&name=${encodeURIComponent(name)}`, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ name })));
  const session = start.headers.location;
  const fd = openSync(file, 'r');
  try {
    for (let offset = 0; offset < bytes; offset += CHUNK) {
      const n = Math.min(CHUNK, bytes - offset);
      const buf = Buffer.allocUnsafe(n);
      readSync(fd, buf, 0, n, offset);
      const last = offset + n === bytes;
      const res = await http('PUT', session, { 'content-range': `bytes ${offset}-${offset + n - 1}/${last ? bytes : '*'}` }, buf);
      if (res.status !== (last ? 200 : 308)) throw new Error(`raw chunk: HTTP ${res.status} ${res.body}`);
    }
  } finally {
    closeSync(fd);
  }
}

export default {
  name: 'vertex',
  async setup(options) {
    const file = ensureDataset({ mb: options.mb, seed: options.seed });
    return { file, bytes: statSync(file).size, fakeUrl: buildFakeGcs() };
  },
  cases: {
    rawUpload: async ({ file, bytes, fakeUrl }) => {
      const fake = await startFake(fakeUrl);
      const { seconds, cpuSeconds } = await timed(() => rawUpload(fake.host, file, bytes, 'raw.jsonl'));
      const stored = await fake.size('raw.jsonl');
      await fake.close();
      if (stored !== bytes) throw new Error(`the fake stored ${stored} bytes, not ${bytes}`);
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds };
    },
    adapterUpload: async ({ file, bytes, fakeUrl }) => {
      const fake = await startFake(fakeUrl);
      const { GcsClient } = await dist('core/providers/vertex/gcs/client.js');
      const { resumableUpload } = await dist('core/providers/vertex/gcs/upload.js');
      const { createReadStream } = await import('node:fs');
      const client = new GcsClient({ emulatorHost: fake.host });
      const { seconds, cpuSeconds } = await timed(() => resumableUpload(client, createReadStream(file, { highWaterMark: 1024 * 1024 }), { bucket: 'llmgw-data', name: 'adapter.jsonl', totalBytes: bytes, chunkBytes: CHUNK }));
      const stored = await fake.size('adapter.jsonl');
      await fake.close();
      if (stored !== bytes) throw new Error(`the fake stored ${stored} bytes, not ${bytes}`);
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds };
    },
    parseFloor: async ({ file, bytes }) => {
      let n = 0;
      const { seconds, cpuSeconds } = await timed(() => forEachLine(file, (line) => void (JSON.parse(line) && n++)));
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds, lines: n };
    },
    toGemini: async ({ file, bytes }) => {
      const { trainingBytes } = await dist('core/providers/vertex/training-data.js');
      let written = 0;
      const { seconds, cpuSeconds } = await timed(async () => {
        for await (const chunk of trainingBytes(file)) written += chunk.length;
      });
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds, writtenMb: mbOf(written) };
    },
  },
  report(r, params) {
    const rows = [{ metric: 'file', value: `${fmt(mbOf(params.bytes), 0)} MB` }];
    if (done(r.rawUpload)) rows.push({ metric: 'raw: resumable session by hand, 8 MiB PUTs over node:http (MB/s)', value: fmt(med(r.rawUpload, 'mbps'), 0) });
    if (done(r.adapterUpload)) {
      rows.push({ metric: 'adapter: resumable upload, streamed, 8 MiB chunks (MB/s)', value: fmt(med(r.adapterUpload, 'mbps'), 0) });
      rows.push(ratioRow('GCS upload: adapter / raw chunked PUT loop, same fake', paired(r.adapterUpload, r.rawUpload, (a, b) => b.seconds / a.seconds), 0.8, '≥', paired(r.adapterUpload, r.rawUpload, (a, b) => b.cpuSeconds / a.cpuSeconds)));
    }
    if (done(r.parseFloor)) rows.push({ metric: 'split + JSON.parse (MB/s)', value: fmt(med(r.parseFloor, 'mbps'), 0) });
    if (done(r.toGemini)) {
      rows.push({ metric: `to Gemini JSONL (MB/s; ${fmt(r.toGemini[0].writtenMb, 0)} MB out)`, value: fmt(med(r.toGemini, 'mbps'), 0) });
      rows.push(ratioRow('convert to Gemini / split + JSON.parse', paired(r.toGemini, r.parseFloor, (a, b) => b.seconds / a.seconds), 0.7, '≥', paired(r.toGemini, r.parseFloor, (a, b) => b.cpuSeconds / a.cpuSeconds)));
    }
    return rows;
  },
};
