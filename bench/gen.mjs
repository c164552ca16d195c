#!/usr/bin/env node
// Deterministic synthetic chat dataset for the benchmarks.
//
//   node bench/gen.mjs [--mb 200] [--seed 1] [--out FILE]
//
// Same size and seed → byte-identical file. Examples look like real SFT data: an optional system
// prompt, 1-4 user/assistant turns, prose of mixed lengths (most examples a few hundred bytes,
// a long tail up to ~30 KB), some code, numbers, accented and CJK text, and a few tool calls.
// The file is written to bench/.data/ (gitignored) and reused when it already exists.
import { Buffer } from 'node:buffer';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;

/** sfc32: a small, fast, well-distributed PRNG; seeded so every run produces the same data. */
function prng(seed) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const WORDS = (
  'the of and to a in is that for it as was with be by on not he this are or his from at which but have an they you were her she ' +
  'there been one all we their has would when if so no will can more other could about into them than only some time these may do ' +
  'like people new after first also two way use our work how even because back any good most give day well just should very ' +
  'customer order refund invoice account password shipping delivery product support ticket question answer policy return warranty ' +
  'model dataset training token example validation prompt response gateway latency request deploy config cluster region price ' +
  'please thanks sorry help check update cancel change address email phone number weekend tomorrow yesterday morning evening'
).split(' ');
const RARE = ['naïve', 'café', 'façade', 'Zürich', 'São Paulo', 'jalapeño', '東京', '你好', 'こんにちは', 'Привет', 'εὐχαριστῶ', '😀', '👍', '—', '€', '°C'];
const SYSTEM = [
  'You are a helpful customer support assistant for an online store.',
  'You answer questions about billing clearly and briefly.',
  'You are a senior engineer. Answer with working code and a short explanation.',
  'Reply in the same language as the user.',
];
const TOOL = { type: 'function', function: { name: 'lookup_order', description: 'Look up an order by its id', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } } };

function makeText(rand, words) {
  const out = [];
  let sentence = 0;
  for (let i = 0; i < words; i++) {
    const r = rand();
    let word = r < 0.01 ? RARE[Math.floor(rand() * RARE.length)] : r < 0.04 ? String(Math.floor(rand() * 10_000)) : WORDS[Math.floor(rand() * WORDS.length)];
    if (sentence === 0) word = word.charAt(0).toUpperCase() + word.slice(1);
    sentence++;
    if (sentence > 6 && rand() < 0.15) {
      word += rand() < 0.8 ? '.' : '?';
      sentence = 0;
    } else if (rand() < 0.05) word += ',';
    out.push(word);
  }
  return out.join(rand() < 0.05 ? '\n' : ' ');
}

function makeCode(rand) {
  const n = 2 + Math.floor(rand() * 12);
  const lines = ['```ts'];
  for (let i = 0; i < n; i++) lines.push(`  const value${i} = items.filter((x) => x.id !== ${Math.floor(rand() * 1000)}).map((x) => x.price * ${i + 1});`);
  lines.push('```');
  return lines.join('\n');
}

/** Words per message: mostly short, a long tail (log-uniform between 3 and ~4000 words). */
const length = (rand) => Math.floor(3 * Math.exp(rand() * rand() * Math.log(1400)));

function makeExample(rand, i) {
  const messages = [];
  if (rand() < 0.7) messages.push({ role: 'system', content: SYSTEM[Math.floor(rand() * SYSTEM.length)] });
  const turns = 1 + Math.floor(rand() * rand() * 4);
  const withTool = rand() < 0.05;
  for (let t = 0; t < turns; t++) {
    messages.push({ role: 'user', content: makeText(rand, length(rand)) });
    if (withTool && t === 0) {
      const id = `call_${i}_${t}`;
      messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'lookup_order', arguments: JSON.stringify({ order_id: `A-${i}` }) } }] });
      messages.push({ role: 'tool', tool_call_id: id, content: JSON.stringify({ status: 'shipped', eta_days: Math.floor(rand() * 9) }) });
    }
    const answer = rand() < 0.1 ? `${makeText(rand, 20)}\n\n${makeCode(rand)}` : makeText(rand, length(rand));
    messages.push({ role: 'assistant', content: answer });
  }
  return withTool ? { messages, tools: [TOOL] } : { messages };
}

export function defaultDatasetPath(mb, seed) {
  return join(here, '.data', `chat-${mb}mb-s${seed}.jsonl`);
}

/** Writes (or reuses) the dataset of `mb` MB (1e6 bytes) for `seed`; returns its path. */
export function ensureDataset({ mb = 200, seed = 1, out = defaultDatasetPath(mb, seed) } = {}) {
  if (existsSync(out) && statSync(out).size >= mb * 1e6) return out;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const rand = prng(seed);
  const target = mb * 1e6;
  let written = 0;
  let pending = [];
  let pendingBytes = 0;
  for (let i = 0; written + pendingBytes < target; i++) {
    const line = `${JSON.stringify(makeExample(rand, i))}\n`;
    pending.push(line);
    pendingBytes += Buffer.byteLength(line);
    if (pendingBytes > 1 << 20) {
      written += writeSync(fd, pending.join(''));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length) writeSync(fd, pending.join(''));
  closeSync(fd);
  renameSync(tmp, out);
  return out;
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  const mb = Number(values.mb);
  const seed = Number(values.seed);
  const started = performance.now();
  const path = ensureDataset({ mb, seed, ...(values.out ? { out: values.out } : {}) });
  console.log(`${path} (${(statSync(path).size / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
