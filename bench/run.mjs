#!/usr/bin/env node
// Runs the benchmark modules bench/*.bench.mjs and prints one table per module.
//
//   npm run bench                         # builds, then every module, default options
//   npm run bench -- --mb 50 validate     # a smaller dataset, only modules whose name matches
//
// Every case of a module runs in its own child process, so its peak RSS is its own
// (process.resourceUsage().maxRSS, which counts worker threads too). See bench/README.md.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;

async function loadModule(file) {
  const module = await import(pathToFileURL(join(here, file)).href);
  return module.default;
}

// Child mode: `node bench/run.mjs --case FILE NAME PARAMS_JSON` runs one case and prints its
// result as one JSON line, with the child's peak RSS in MB.
if (process.argv[2] === '--case') {
  const [, , , file, name, params] = process.argv;
  const bench = await loadModule(file);
  const result = await bench.cases[name](JSON.parse(params));
  process.stdout.write(`${JSON.stringify({ ...result, rssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(0); // do not wait for stray handles (an unclosed pool, a timer) of the case
}

/** Runs one case in a child process; a case that fails is reported as `{ error }`, not fatal to the run. */
function runCase(file, name, params) {
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [join(here, 'run.mjs'), '--case', file, name, JSON.stringify(params)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 << 20,
    });
  } catch (err) {
    const stderr = String(err.stderr ?? '').trim().split('\n');
    return { error: stderr.find((l) => /Error/.test(l)) ?? err.message.split('\n')[0] };
  }
  const last = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last);
}

function printTable(title, rows) {
  const header = ['metric', 'value', 'target', ''];
  const body = rows.map((r) => [r.metric, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mb: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '15' } },
});
const options = { mb: Number(values.mb), seed: Number(values.seed), runs: Number(values.runs) };
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)))
  .sort();

const os = await import('node:os');
// The load average says how much other work shared the machine: ratios hold up under load, absolute rates do not.
console.log(`node ${process.version}, ${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, options ${JSON.stringify(options)}`);
for (const file of files) {
  const bench = await loadModule(file);
  const params = (await bench.setup?.(options)) ?? options;
  const results = {};
  for (const name of Object.keys(bench.cases)) {
    process.stderr.write(`  ${bench.name}: ${name}…\n`);
    results[name] = runCase(file, name, params);
  }
  const failed = Object.entries(results).filter(([, r]) => r.error !== undefined);
  let rows;
  try {
    rows = bench.report(results, params);
  } catch {
    rows = []; // a report that cannot cope with a failed case: the failures below say why
  }
  printTable(`${bench.name} (${file})`, [...rows, ...failed.map(([name, r]) => ({ metric: `${name} FAILED`, value: r.error }))]);
}
