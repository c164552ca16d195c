// `llmgw dataset convert` throughput against floors measured in the same run:
//   CSV:   convertFile(--map …) vs a bare csv-parse loop over the same file
//   JSONL: convertFile (chat passthrough) vs a bare Buffer split + JSON.parse loop
// plus the peak RSS of each case (its own process). Targets: each ratio ≥ 0.8, and peak RSS under
// 150 MB (`--mb 1000` for the 1 GB figure). Converting does more per record than the floors (the
// converter, validate's rules on the output line, the secret scan, the write); batching, writing
// unchanged lines from their bytes and the scan's prefilter narrow the gap (figures in README.md).
import { Buffer } from 'node:buffer';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { ensureDataset } from './gen.mjs';
import { done, fmt, forEachLine, limitRow, max, mbOf, med, paired, ratioRow, timed } from './lib.mjs';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', path);

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

async function convertCase(input, opts) {
  const { convertFile } = await import(dist('core/dataset/convert/run.js'));
  const { parseMaps } = await import(dist('core/dataset/convert/csv-map.js'));
  const out = join(root, 'bench/.data', `convert-out-${process.pid}.jsonl`);
  try {
    const { result, seconds, cpuSeconds } = await timed(() => convertFile(input, out, { force: true, ...opts, maps: opts.maps ? parseMaps(opts.maps) : undefined }));
    return { seconds, cpuSeconds, mbps: mbOf(statSync(input).size) / seconds, written: result.written, skipped: result.skipped };
  } finally {
    rmSync(out, { force: true });
  }
}

export default {
  name: 'convert',
  async setup(options) {
    const jsonl = ensureDataset(options);
    const csv = await ensureCsv(jsonl, options.mb);
    return { jsonl, csv };
  },
  cases: {
    csvFloor: async ({ csv }) => {
      const { parse } = await import('csv-parse');
      let rows = 0;
      const { seconds, cpuSeconds } = await timed(async () => {
        for await (const _ of createReadStream(csv, { highWaterMark: 256 * 1024 }).pipe(parse({ bom: true, relax_column_count: true }))) rows++;
      });
      return { seconds, cpuSeconds, mbps: mbOf(statSync(csv).size) / seconds, rows };
    },
    csvConvert: ({ csv }) => convertCase(csv, { maps: ['system=system', 'question=user', 'answer=assistant'] }),
    jsonlFloor: async ({ jsonl }) => {
      let n = 0;
      const { seconds, cpuSeconds } = await timed(() =>
        forEachLine(jsonl, (line) => {
          if (JSON.parse(line)) n++;
        }),
      );
      return { seconds, cpuSeconds, mbps: mbOf(statSync(jsonl).size) / seconds, lines: n };
    },
    jsonlConvert: ({ jsonl }) => convertCase(jsonl, {}),
  },
  report(r, params) {
    const rows = [];
    const rate = (c) => `${fmt(med(c, 'mbps'))} MB/s, ${fmt(max(c, 'rssMb'), 0)} MB RSS`;
    // Same input on both sides: floor time / convert time, in wall and CPU seconds.
    const vs = (metric, subject, floor) => ratioRow(metric, paired(subject, floor, (a, b) => b.seconds / a.seconds), 0.8, '≥', paired(subject, floor, (a, b) => b.cpuSeconds / a.cpuSeconds));
    if (done(r.csvFloor)) rows.push({ metric: `CSV (${fmt(mbOf(statSync(params.csv).size), 0)} MB): bare csv-parse`, value: rate(r.csvFloor) });
    if (done(r.csvConvert)) rows.push({ metric: 'CSV: convert --map', value: rate(r.csvConvert) }, vs('CSV: convert / csv-parse', r.csvConvert, r.csvFloor));
    if (done(r.jsonlFloor)) rows.push({ metric: `JSONL (${fmt(mbOf(statSync(params.jsonl).size), 0)} MB): split + JSON.parse`, value: rate(r.jsonlFloor) });
    if (done(r.jsonlConvert)) rows.push({ metric: 'JSONL: convert', value: rate(r.jsonlConvert) }, vs('JSONL: convert / split + JSON.parse', r.jsonlConvert, r.jsonlFloor));
    if (done(r.csvConvert) && done(r.jsonlConvert)) rows.push(limitRow('peak RSS, convert (flat in file size)', Math.max(max(r.csvConvert, 'rssMb'), max(r.jsonlConvert, 'rssMb')), 150, '<', ' MB'));
    return rows;
  },
};
