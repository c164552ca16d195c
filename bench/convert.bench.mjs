// `llmgw dataset convert` throughput against floors measured in the same run:
//   CSV:   convertFile(--map …) vs a bare csv-parse loop over the same file
//   JSONL: convertFile (chat passthrough) vs a bare Buffer split + JSON.parse loop
// plus the peak RSS of each case (its own process). Converting does much more per record than
// the floors (the converter, validate's rules on the output line, the secret scan, JSON.stringify
// and the write), so the ratios are reported for orientation, with memory as the hard target.
import { Buffer } from 'node:buffer';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDataset } from './gen.mjs';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', path);
const mbOf = (bytes) => bytes / 1e6;
const seconds = (start) => (performance.now() - start) / 1000;

/** A CSV (system, question, answer) with the same texts as the chat dataset, quoted as needed. */
async function ensureCsv(jsonl, maxMb) {
  const out = jsonl.replace(/\.jsonl$/, `.${maxMb}mb.csv`);
  if (existsSync(out)) return out;
  const tmp = `${out}.tmp`;
  const w = createWriteStream(tmp);
  const cell = (s) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  let size = 0;
  w.write('system,question,answer\n');
  await forEachLine(jsonl, (line) => {
    if (size > maxMb * 1e6) return;
    const msgs = JSON.parse(line).messages;
    const text = (m) => (typeof m?.content === 'string' ? m.content : '');
    const sys = msgs.find((m) => m.role === 'system');
    const user = msgs.find((m) => m.role === 'user');
    const answer = msgs.findLast((m) => m.role === 'assistant' && typeof m.content === 'string' && m.content !== '');
    if (!user || !answer) return;
    const row = `${cell(text(sys))},${cell(text(user))},${cell(text(answer))}\n`;
    size += Buffer.byteLength(row);
    w.write(row);
  });
  w.end();
  await once(w, 'close');
  renameSync(tmp, out);
  return out;
}

/** Splits the file on 0x0a straight from the Buffer, one toString per line. */
async function forEachLine(file, onLine) {
  let rest = null;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
      if (nl > start) onLine(buf.toString('utf8', start, nl));
      start = nl + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : null;
  }
  if (rest) onLine(rest.toString('utf8'));
}

async function convertCase(input, opts) {
  const { convertFile } = await import(dist('core/dataset/convert/run.js'));
  const { parseMaps } = await import(dist('core/dataset/convert/csv-map.js'));
  const out = join(root, 'bench/.data', `convert-out-${process.pid}.jsonl`);
  const start = performance.now();
  try {
    const r = await convertFile(input, out, { force: true, ...opts, maps: opts.maps ? parseMaps(opts.maps) : undefined });
    return { mbps: mbOf(statSync(input).size) / seconds(start), written: r.written, skipped: r.skipped };
  } finally {
    rmSync(out, { force: true });
  }
}

export default {
  name: 'convert',
  async setup(options) {
    const jsonl = ensureDataset(options);
    const csv = await ensureCsv(jsonl, Math.min(options.mb, 100));
    return { jsonl, csv };
  },
  cases: {
    csvFloor: async ({ csv }) => {
      const { parse } = await import('csv-parse');
      const start = performance.now();
      let rows = 0;
      for await (const _ of createReadStream(csv, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true, relax_column_count: true }))) rows++;
      return { mbps: mbOf(statSync(csv).size) / seconds(start), rows };
    },
    csvConvert: ({ csv }) => convertCase(csv, { maps: ['system=system', 'question=user', 'answer=assistant'] }),
    jsonlFloor: async ({ jsonl }) => {
      const start = performance.now();
      let n = 0;
      await forEachLine(jsonl, (line) => {
        if (JSON.parse(line)) n++;
      });
      return { mbps: mbOf(statSync(jsonl).size) / seconds(start), lines: n };
    },
    jsonlConvert: ({ jsonl }) => convertCase(jsonl, {}),
  },
  report(r, params) {
    const ratio = (a, b) => (a.mbps / b.mbps).toFixed(2);
    return [
      { metric: `CSV (${mbOf(statSync(params.csv).size).toFixed(0)} MB): bare csv-parse`, value: `${r.csvFloor.mbps.toFixed(1)} MB/s, ${r.csvFloor.rssMb.toFixed(0)} MB RSS` },
      { metric: 'CSV: convert --map', value: `${r.csvConvert.mbps.toFixed(1)} MB/s, ${r.csvConvert.rssMb.toFixed(0)} MB RSS` },
      { metric: 'CSV: convert / csv-parse', value: ratio(r.csvConvert, r.csvFloor) },
      { metric: `JSONL (${mbOf(statSync(params.jsonl).size).toFixed(0)} MB): split + JSON.parse`, value: `${r.jsonlFloor.mbps.toFixed(1)} MB/s, ${r.jsonlFloor.rssMb.toFixed(0)} MB RSS` },
      { metric: 'JSONL: convert', value: `${r.jsonlConvert.mbps.toFixed(1)} MB/s, ${r.jsonlConvert.rssMb.toFixed(0)} MB RSS` },
      { metric: 'JSONL: convert / split + JSON.parse', value: ratio(r.jsonlConvert, r.jsonlFloor) },
      { metric: 'peak RSS, convert (flat in file size)', value: `${Math.max(r.csvConvert.rssMb, r.jsonlConvert.rssMb).toFixed(0)} MB`, target: '< 150 MB', ok: Math.max(r.csvConvert.rssMb, r.jsonlConvert.rssMb) < 150 },
    ];
  },
};
