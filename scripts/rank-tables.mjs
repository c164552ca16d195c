#!/usr/bin/env node
// Writes gpt-tokenizer's BPE rank tables as JSON next to the built token counter
// (dist/core/tokens/ranks/<encoding>.json), part of `npm run build`.
//
// Why: the package ships each table as a 1-2.4 MB JavaScript array literal, and builds a Map of
// its ~200k token strings from it in every thread. llmgw looks tokens up in an object keyed by
// their text instead (faster; src/core/tokens/encodings.ts), which JSON.parse builds at its final
// size in one go. The file holds
//   { "size": <ranks>, "text": { "<token>": rank, … }, "bytes": [[rank, [byte, …]], …] }
// where `text` has every token that is a string in the package's table and `bytes` the few that
// are not UTF-8 on their own, so the package's array can be rebuilt from it exactly
// (test/core/tokens/encodings.test.ts compares the counts).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const out = join(import.meta.dirname, '..', 'dist', 'core', 'tokens', 'ranks');
mkdirSync(out, { recursive: true });
for (const name of ['o200k_base', 'cl100k_base']) {
  const ranks = require(`gpt-tokenizer/cjs/bpeRanks/${name}`).default;
  if (Object.keys(ranks).length !== ranks.length) throw new Error(`${name}: the rank table has holes; it cannot be stored as it is`);
  // A null prototype: a token such as "__proto__" must become a key like any other.
  const text = Object.create(null);
  const bytes = [];
  ranks.forEach((token, rank) => {
    if (typeof token === 'string') {
      if (token in text) throw new Error(`${name}: the token ${JSON.stringify(token)} has two ranks`);
      text[token] = rank;
    } else bytes.push([rank, Array.from(token)]);
  });
  const file = join(out, `${name}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify({ size: ranks.length, text, bytes }));
  renameSync(`${file}.tmp`, file);
}
