#!/usr/bin/env node
// Runs the benchmark modules bench/*.bench.mjs, prints one table per module, then one summary
// table of every figure that has a target.
//
//   npm run bench                         # builds, then every module, default options
//   npm run bench -- --mb 50 validate     # a smaller dataset, only modules whose name matches
//
// Every case of a module runs in its own child process, so its peak RSS is its own
// (process.resourceUsage().maxRSS, which counts worker threads too). The cases run in rounds
// (--runs), in reverse order every other round, so a floor and the subject beside it alternate
// (A B, B A, A B …) and load that comes and goes hits both alike. See bench/README.md.
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

const verdict = (r) => (r.ok === undefined ? '' : r.ok ? 'ok' : r.cpuOk ? 'MISSED (cpu ok)' : 'MISSED');

function printTable(title, rows) {
  const withCpu = rows.some((r) => r.cpu !== undefined);
  const header = ['metric', 'value', ...(withCpu ? ['cpu'] : []), 'target', 'met?'];
  const body = rows.map((r) => [r.metric, r.value, ...(withCpu ? [r.cpu ?? ''] : []), r.target ?? '', verdict(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { mb: { type: 'string', default: '100' }, seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '5' } },
});
const options = { mb: Number(values.mb), seed: Number(values.seed), runs: Number(values.runs) };
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)))
  .sort();

const os = await import('node:os');
// The load average says how much other work shared the machine: ratios hold up under load, absolute rates do not.
console.log(`node ${process.version}, ${os.availableParallelism()} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, options ${JSON.stringify(options)}`);
const summary = [];
for (const file of files) {
  const bench = await loadModule(file);
  const params = (await bench.setup?.(options)) ?? options;
  const names = Object.keys(bench.cases);
  const rounds = bench.rounds ?? options.runs;
  const results = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      process.stderr.write(`  ${bench.name} round ${round + 1}/${rounds}: ${name}…\n`);
      results[name].push(runCase(file, name, params));
    }
  }
  const failed = Object.entries(results).flatMap(([name, rs]) => rs.map((r, i) => ({ name, round: i + 1, error: r.error })).filter((f) => f.error !== undefined));
  let rows;
  try {
    rows = bench.report(results, params);
  } catch (err) {
    rows = [{ metric: 'report FAILED', value: err.message }]; // most often a failed case: listed below
  }
  printTable(`${bench.name} (${file}, ${rounds} round${rounds === 1 ? '' : 's'})`, [...rows, ...failed.map((f) => ({ metric: `${f.name} round ${f.round} FAILED`, value: f.error }))]);
  summary.push(...rows.filter((r) => r.target !== undefined).map((r) => ({ ...r, metric: `${bench.name}: ${r.metric}` })));
  summary.push(...failed.map((f) => ({ metric: `${bench.name}: ${f.name} round ${f.round}`, value: 'FAILED', target: '', ok: false })));
}
printTable(`SUMMARY (median over rounds, range in brackets; met? judged on wall time, cpu shown beside it; load now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`, summary);
