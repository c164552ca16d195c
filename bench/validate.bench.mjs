// `llmgw dataset validate` against floors measured in the same run (DESIGN §8):
//   (a) a bare Buffer split + JSON.parse loop over the file;
//   (b) validateFile without tokens, as a ratio of (a)                      target ≥ 0.90
//   (c) validateFile with tokens (worker pool), as a ratio of
//       cores × the single-thread bare tokenizer rate on the same data      target ≥ 0.85
//   (d) peak RSS of each case (its own process)
//   (e) `llmgw --version` / `--help` start-up as a ratio of `node -e 0`      target ≤ 1.5
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDataset } from './gen.mjs';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', path);
const VALIDATE_JS = dist('core/dataset/validate.js');

const mbOf = (bytes) => bytes / 1e6;
const seconds = (start) => (performance.now() - start) / 1000;
/** CPU seconds of this process, worker threads included, since `start` (a process.cpuUsage()). */
const cpuSeconds = (start) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

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

async function validateCase(file, withTokens) {
  if (!existsSync(VALIDATE_JS)) return { skipped: 'dist/core/dataset/validate.js is not built' };
  const { validateFile } = await import(VALIDATE_JS);
  const { defaultModel } = await import(dist('core/models/catalog.js'));
  const { createTokenPool } = await import(dist('core/tokens/pool.js'));
  const pool = withTokens ? createTokenPool() : undefined;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const report = await validateFile(file, { model: defaultModel(), pool });
  const s = seconds(start);
  const cpuS = cpuSeconds(cpu);
  await pool?.close();
  return { seconds: s, cpuSeconds: cpuS, mbps: mbOf(statSync(file).size) / s, examples: report.summary.examples, errors: report.summary.errors, tokens: report.tokens?.total ?? null, threads: pool?.threads ?? 0 };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeRun(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return performance.now() - start;
}

const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const ratioRow = (metric, ratio, target, cmp) => ({ metric, value: fmt(ratio, 2), target: `${cmp} ${target}`, ok: ratio === null ? undefined : cmp === '≥' ? ratio >= target : ratio <= target });

export default {
  name: 'validate',

  setup(options) {
    process.stderr.write(`  validate: generating ${options.mb} MB of chat examples (seed ${options.seed}) in bench/.data/ …\n`);
    const file = ensureDataset({ mb: options.mb, seed: options.seed });
    return { file, bytes: statSync(file).size, runs: options.runs };
  },

  cases: {
    async floor({ file, bytes }) {
      let lines = 0;
      const start = performance.now();
      await forEachLine(file, (line) => {
        JSON.parse(line);
        lines++;
      });
      const s = seconds(start);
      return { seconds: s, mbps: mbOf(bytes) / s, lines };
    },

    validate: ({ file }) => validateCase(file, false),

    async tokenizer({ file, bytes }) {
      // The bare library, as the workers use it: o200k, merge cache off, special tokens as text.
      const { countTokens, setMergeCacheSize } = await import('gpt-tokenizer/encoding/o200k_base');
      setMergeCacheSize(0);
      const plain = { disallowedSpecial: new Set() };
      const { availableParallelism } = await import('node:os');
      let tokens = 0;
      const start = performance.now();
      const cpu = process.cpuUsage();
      await forEachLine(file, (line) => {
        for (const message of JSON.parse(line).messages ?? []) {
          if (typeof message.content === 'string') tokens += countTokens(message.content, plain);
          else if (Array.isArray(message.content)) for (const part of message.content) if (typeof part?.text === 'string') tokens += countTokens(part.text, plain);
        }
      });
      const s = seconds(start);
      return { seconds: s, cpuSeconds: cpuSeconds(cpu), mbps: mbOf(bytes) / s, tokens, cores: Math.min(8, availableParallelism()) };
    },

    validateTokens: ({ file }) => validateCase(file, true),

    startup({ runs }) {
      const bin = join(root, 'bin/llmgw.js');
      const times = { node: [], version: [], help: [] };
      timeRun([bin, '--version']); // warm the file cache once
      for (let i = 0; i < runs; i++) {
        times.node.push(timeRun(['-e', '0']));
        times.version.push(timeRun([bin, '--version']));
        times.help.push(timeRun([bin, '--help']));
      }
      return { nodeMs: median(times.node), versionMs: median(times.version), helpMs: median(times.help), runs };
    },
  },

  report(r, { file, bytes }) {
    // A case that failed (r.x.error) or was skipped leaves its rows out; the runner lists failures.
    const done = (c) => c.error === undefined && c.skipped === undefined;
    const mem = (c) => `${fmt(c.rssMb, 0)} MB`;
    const rows = [{ metric: 'dataset', value: `${file.slice(root.length + 1)} (${fmt(mbOf(bytes))} MB)` }];
    if (done(r.floor)) rows.push({ metric: '(a) split + JSON.parse floor', value: `${fmt(r.floor.mbps)} MB/s (${r.floor.lines} lines)` }, { metric: '(a) peak RSS', value: mem(r.floor) });
    if (r.validate.skipped) rows.push({ metric: '(b) validate, no tokens', value: `skipped: ${r.validate.skipped}` });
    if (done(r.validate)) {
      rows.push({ metric: '(b) validate, no tokens', value: `${fmt(r.validate.mbps)} MB/s (${r.validate.examples} examples, ${r.validate.errors} errors)` });
      if (done(r.floor)) rows.push(ratioRow('(b) ratio to (a)', r.validate.mbps / r.floor.mbps, 0.9, '≥'));
      rows.push({ metric: '(b) peak RSS, one thread', value: mem(r.validate), target: '< 150 MB', ok: r.validate.rssMb < 150 });
    }
    const floor = done(r.tokenizer) ? r.tokenizer.cores * r.tokenizer.mbps : null;
    if (floor !== null) {
      rows.push({ metric: '(c) bare tokenizer, 1 thread', value: `${fmt(r.tokenizer.mbps, 2)} MB/s (${r.tokenizer.tokens} content tokens)` });
      rows.push({ metric: `(c) floor: ${r.tokenizer.cores} cores × 1 thread`, value: `${fmt(floor, 2)} MB/s` });
    }
    if (r.validateTokens.skipped) rows.push({ metric: '(c) validate with tokens', value: `skipped: ${r.validateTokens.skipped}` });
    if (done(r.validateTokens)) {
      rows.push({ metric: `(c) validate with tokens, ${r.validateTokens.threads} workers`, value: `${fmt(r.validateTokens.mbps, 2)} MB/s (${r.validateTokens.tokens} tokens)` });
      if (floor !== null) rows.push(ratioRow('(c) ratio to the floor', r.validateTokens.mbps / floor, 0.85, '≥'));
      rows.push({ metric: '(c) peak RSS with workers', value: mem(r.validateTokens), target: '< 256 MB', ok: r.validateTokens.rssMb < 256 });
      // CPU seconds are far less sensitive to other load on the machine than wall time: this says
      // how much work counting in the pool adds over the bare tokenizer, whatever the machine did.
      if (floor !== null) rows.push({ metric: '(c) CPU time, validate with tokens / bare', value: `${fmt(r.validateTokens.cpuSeconds)} s / ${fmt(r.tokenizer.cpuSeconds)} s = ${fmt(r.validateTokens.cpuSeconds / r.tokenizer.cpuSeconds, 2)}` });
    }
    const s = r.startup;
    if (done(s)) {
      rows.push({ metric: `(e) node -e 0, median of ${s.runs}`, value: `${fmt(s.nodeMs)} ms` });
      rows.push({ metric: '(e) llmgw --version', value: `${fmt(s.versionMs)} ms` }, ratioRow('(e) --version / node -e 0', s.versionMs / s.nodeMs, 1.5, '≤'));
      rows.push({ metric: '(e) llmgw --help', value: `${fmt(s.helpMs)} ms` }, ratioRow('(e) --help / node -e 0', s.helpMs / s.nodeMs, 1.5, '≤'));
    }
    return rows;
  },
};
