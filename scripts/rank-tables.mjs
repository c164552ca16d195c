#!/usr/bin/env node
// Writes gpt-tokenizer's BPE rank tables as JSON next to the built token counter
// (dist/core/tokens/ranks/<encoding>.json), part of `npm run build`.
//
// Why: the package ships each table as a 1-2.4 MB JavaScript array literal. Compiling that
// literal costs every worker thread ~20 MB of parser memory that the allocator keeps, besides
// ~150 ms; JSON.parse of the same array skips the compile. The JSON is exactly the array the
// package's own module exports (a string per rank, or the bytes when they are not UTF-8), so
// counts do not change (test/core/tokens/encodings.test.ts compares them).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const out = join(import.meta.dirname, '..', 'dist', 'core', 'tokens', 'ranks');
mkdirSync(out, { recursive: true });
for (const name of ['o200k_base', 'cl100k_base']) {
  const ranks = require(`gpt-tokenizer/cjs/bpeRanks/${name}`).default;
  // JSON has no holes: a sparse table would come back with nulls where the package has none.
  if (Object.keys(ranks).length !== ranks.length) throw new Error(`${name}: the rank table has holes; it cannot be stored as JSON as is`);
  const file = join(out, `${name}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(ranks));
  renameSync(`${file}.tmp`, file);
}
