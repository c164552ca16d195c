// `llmgw dataset validate` against floors measured in the same run (DESIGN §8):
//   (a) a bare Buffer split + JSON.parse loop over the file;
//   (b) validateFile without tokens (worker threads, as the CLI runs it on a
//       file this size), as a ratio of (a)                                  target ≥ 0.90
//   (c) validateFile with tokens (worker pool), as a ratio of
//       cores × the single-thread bare tokenizer rate on the same data      target ≥ 0.85
//   (d) validateFile with tokens on one thread (--threads 0), peak RSS       target < 150 MB
//   peak RSS of each case (its own process); with two workers             target < 256 MB
//   (e) `llmgw --version` / `--help` start-up as a ratio of `node -e 0`      target ≤ 1.5
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureDataset } from './gen.mjs';
import { done, fmt, forEachLine, limitRow, max, mbOf, med, median, paired, ratioRow, timed } from './lib.mjs';

const root = join(import.meta.dirname, '..');
const dist = (path) => join(root, 'dist', path);
const VALIDATE_JS = dist('core/dataset/validate.js');
/** Start-up spawns of each command per round, interleaved; the round reports their medians. */
const STARTUP_SPAWNS = 7;

async function validateCase(file, withTokens, threads) {
  if (!existsSync(VALIDATE_JS)) return { skipped: 'dist/core/dataset/validate.js is not built' };
  const { validateFile, defaultValidateThreads } = await import(VALIDATE_JS);
  const { defaultModel } = await import(dist('core/models/catalog.js'));
  const { createTokenPool, defaultThreads } = await import(dist('core/tokens/pool.js'));
  const size = statSync(file).size;
  // As the CLI picks them for the default target (plain chat lines may be checked from their bytes).
  const workers = threads ?? defaultValidateThreads(size, withTokens, defaultThreads(), true);
  // As `llmgw dataset validate` does it: as many workers as it starts (when counting, one per
  // core, each loading the rank table as it starts; without, one fewer, as the main thread checks
  // too), started inside the timed part.
  const model = defaultModel();
  const { result: report, seconds, cpuSeconds } = await timed(async () => {
    const pool = withTokens || workers > 0 ? createTokenPool({ threads: workers, preload: withTokens && workers > 0 ? model.encoding : undefined }) : undefined;
    try {
      return await validateFile(file, { model, pool, tokens: withTokens });
    } finally {
      await pool?.close();
    }
  });
  return { seconds, cpuSeconds, mbps: mbOf(size) / seconds, examples: report.summary.examples, errors: report.summary.errors, tokens: report.tokens?.total ?? null, threads: workers };
}

function timeRun(args) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
  return performance.now() - start;
}

export default {
  name: 'validate',

  setup(options) {
    process.stderr.write(`  validate: generating ${options.mb} MB of chat examples (seed ${options.seed}) in bench/.data/ …\n`);
    const file = ensureDataset({ mb: options.mb, seed: options.seed });
    return { file, bytes: statSync(file).size };
  },

  cases: {
    async floor({ file, bytes }) {
      let lines = 0;
      const { seconds, cpuSeconds } = await timed(() =>
        forEachLine(file, (line) => {
          JSON.parse(line);
          lines++;
        }),
      );
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds, lines };
    },

    validate: ({ file }) => validateCase(file, false),

    async tokenizer({ file, bytes }) {
      // The bare library, as the workers use it: o200k, merge cache off, special tokens as text.
      const { countTokens, setMergeCacheSize } = await import('gpt-tokenizer/encoding/o200k_base');
      setMergeCacheSize(0);
      const plain = { disallowedSpecial: new Set() };
      const { availableParallelism } = await import('node:os');
      let tokens = 0;
      const { seconds, cpuSeconds } = await timed(() =>
        forEachLine(file, (line) => {
          for (const message of JSON.parse(line).messages ?? []) {
            if (typeof message.content === 'string') tokens += countTokens(message.content, plain);
            else if (Array.isArray(message.content)) for (const part of message.content) if (typeof part?.text === 'string') tokens += countTokens(part.text, plain);
          }
        }),
      );
      return { seconds, cpuSeconds, mbps: mbOf(bytes) / seconds, tokens, cores: Math.min(8, availableParallelism()) };
    },

    validateTokens: ({ file }) => validateCase(file, true),

    // Everything on the calling thread (`--threads 0`), tokens included: the one-thread memory figure.
    oneThread: ({ file }) => validateCase(file, true, 0),

    startup() {
      const bin = join(root, 'bin/llmgw.js');
      const times = { node: [], version: [], help: [] };
      timeRun([bin, '--version']); // warm the file cache once
      for (let i = 0; i < STARTUP_SPAWNS; i++) {
        times.node.push(timeRun(['-e', '0']));
        times.version.push(timeRun([bin, '--version']));
        times.help.push(timeRun([bin, '--help']));
      }
      return { nodeMs: median(times.node), versionMs: median(times.version), helpMs: median(times.help) };
    },
  },

  report(r, { file, bytes }) {
    // A case that failed or was skipped in any round leaves its rows out; the runner lists failures.
    const mem = (c) => `${fmt(max(c, 'rssMb'), 0)} MB`;
    const rows = [{ metric: 'dataset', value: `${file.slice(root.length + 1)} (${fmt(mbOf(bytes))} MB)` }];
    if (done(r.floor)) rows.push({ metric: '(a) split + JSON.parse floor', value: `${fmt(med(r.floor, 'mbps'))} MB/s (${r.floor[0].lines} lines), ${mem(r.floor)} RSS` });
    if (r.validate[0]?.skipped) rows.push({ metric: '(b) validate, no tokens', value: `skipped: ${r.validate[0].skipped}` });
    if (done(r.validate)) {
      const v = r.validate[0];
      rows.push({ metric: `(b) validate, no tokens, ${v.threads} worker${v.threads === 1 ? '' : 's'} + main thread`, value: `${fmt(med(r.validate, 'mbps'))} MB/s (${v.examples} examples, ${v.errors} errors)` });
      // Same bytes on both sides: the throughput ratio is floor time / validate time, in wall and CPU seconds.
      rows.push(ratioRow('(b) validate no tokens / split + JSON.parse', paired(r.validate, r.floor, (a, b) => b.seconds / a.seconds), 0.9, '≥', paired(r.validate, r.floor, (a, b) => b.cpuSeconds / a.cpuSeconds)));
      rows.push({ metric: `(b) peak RSS, no tokens`, value: `${fmt(max(r.validate, 'rssMb'), 0)} MB` });
    }
    if (done(r.tokenizer)) {
      const cores = r.tokenizer[0].cores;
      rows.push({ metric: '(c) bare tokenizer, 1 thread', value: `${fmt(med(r.tokenizer, 'mbps'), 2)} MB/s (${r.tokenizer[0].tokens} content tokens)` });
      rows.push({ metric: `(c) floor: ${cores} cores × 1 thread`, value: `${fmt(cores * med(r.tokenizer, 'mbps'), 2)} MB/s` });
    }
    if (r.validateTokens[0]?.skipped) rows.push({ metric: '(c) validate with tokens', value: `skipped: ${r.validateTokens[0].skipped}` });
    if (done(r.validateTokens)) {
      const v = r.validateTokens[0];
      rows.push({ metric: `(c) validate with tokens, ${v.threads} workers`, value: `${fmt(med(r.validateTokens, 'mbps'), 2)} MB/s (${v.tokens} tokens)` });
      // Wall: against cores × the single-thread rate. CPU: the pool's total CPU against the bare
      // tokenizer's on the same data, i.e. what counting in the pool costs over the library itself.
      const wall = paired(r.validateTokens, r.tokenizer, (a, b) => b.seconds / b.cores / a.seconds);
      const cpu = paired(r.validateTokens, r.tokenizer, (a, b) => b.cpuSeconds / a.cpuSeconds);
      rows.push(ratioRow('(c) validate with tokens / (cores × bare tokenizer)', wall, 0.85, '≥', cpu));
      rows.push(limitRow(`(c) peak RSS with ${v.threads} workers, ${fmt(mbOf(bytes), 0)} MB file`, max(r.validateTokens, 'rssMb'), 256, '<', ' MB'));
    }
    if (done(r.oneThread)) {
      rows.push({ metric: '(d) validate with tokens, one thread (--threads 0)', value: `${fmt(med(r.oneThread, 'mbps'), 2)} MB/s` });
      if (done(r.tokenizer)) rows.push({ metric: '(d) one thread / bare tokenizer (cpu: what checking adds)', value: fmt(paired(r.oneThread, r.tokenizer, (a, b) => b.seconds / a.seconds)?.median ?? NaN, 2), cpu: fmt(paired(r.oneThread, r.tokenizer, (a, b) => b.cpuSeconds / a.cpuSeconds)?.median ?? NaN, 2) });
      rows.push(limitRow(`(d) peak RSS, one thread, ${fmt(mbOf(bytes), 0)} MB file`, max(r.oneThread, 'rssMb'), 150, '<', ' MB'));
    }
    if (done(r.startup)) {
      rows.push({ metric: `(e) node -e 0 / --version / --help (ms, median of ${STARTUP_SPAWNS} a round)`, value: `${fmt(med(r.startup, 'nodeMs'))} / ${fmt(med(r.startup, 'versionMs'))} / ${fmt(med(r.startup, 'helpMs'))}` });
      rows.push(ratioRow('(e) llmgw --version / node -e 0', paired(r.startup, r.startup, (a) => a.versionMs / a.nodeMs), 1.5, '≤'));
      rows.push(ratioRow('(e) llmgw --help / node -e 0', paired(r.startup, r.startup, (a) => a.helpMs / a.nodeMs), 1.5, '≤'));
    }
    return rows;
  },
};
