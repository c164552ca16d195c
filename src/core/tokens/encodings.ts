import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The BPE encodings llmgw counts with: o200k for the gpt-4o / gpt-4.1 / o-series families, cl100k for older models. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** The part of a gpt-tokenizer encoding llmgw uses. */
interface EncodingModule {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
  setMergeCacheSize(size: number): void;
}

/** Counts tokens of plain text in one encoding. */
export interface Encoder {
  readonly name: EncodingName;
  /** Tokens of `text`; special-token text such as `<|endoftext|>` counts as ordinary text, never throws. */
  count(text: string): number;
}

// gpt-tokenizer's encode() throws on special-token text by default. An empty `disallowedSpecial`
// (with `allowedSpecial` unset) turns the check off and encodes such text as ordinary characters,
// as tiktoken's encode_ordinary does; the file's author never meant them as control tokens.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
const SHORT_TEXT_CHARS = 16;
const SHORT_CACHE_ENTRIES = 4096;

// The encodings are loaded synchronously through CommonJS `require` so counting stays a plain
// function call, and only when first used: each rank table costs ~150 ms and tens of MB, and a
// run needs one of them at most (the CLI never loads one for --help or --version).
const requireFromHere = createRequire(import.meta.url);
const loaded = new Map<EncodingName, Encoder>();

interface GptEncodingClass {
  getEncodingApi(name: EncodingName, ranks: () => unknown): EncodingModule;
}

/**
 * The rank table as JSON (written by scripts/rank-tables.mjs at build time, beside the built
 * module; from the sources, the built copy in dist/). JSON.parse of it costs each thread
 * ~15-20 MB less peak memory than compiling the package's 2.4 MB array literal (two workers:
 * ~45 MB in all), for the same array.
 * Without a built copy, the package's own module is used.
 */
function loadEncoding(name: EncodingName): EncodingModule {
  const candidates = [new URL(`./ranks/${name}.json`, import.meta.url), new URL(`../../../dist/core/tokens/ranks/${name}.json`, import.meta.url)].map((url) => fileURLToPath(url));
  const file = candidates.find((path) => existsSync(path));
  if (file === undefined) return requireFromHere(`gpt-tokenizer/cjs/encoding/${name}`) as EncodingModule;
  const { GptEncoding } = requireFromHere('gpt-tokenizer/cjs/GptEncoding') as { GptEncoding: GptEncodingClass };
  return GptEncoding.getEncodingApi(name, () => JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

/** The encoder for `name`, loading its rank table on first use. */
export function getEncoder(name: EncodingName): Encoder {
  const cached = loaded.get(name);
  if (cached) return cached;
  const module = loadEncoding(name);
  // The default LRU merge cache (100k entries) halves throughput on large, varied data and adds
  // ~180 MB (DESIGN §8); without it memory stays flat however much text goes through.
  module.setMergeCacheSize(0);
  // Roles, names and one-word answers repeat on every line; a small bounded cache of short
  // strings saves a tokenizer call for each (unlike the merge cache it never grows past 4096).
  const short = new Map<string, number>();
  const count = (text: string): number => {
    if (text.length > SHORT_TEXT_CHARS) return module.countTokens(text, PLAIN_TEXT);
    let tokens = short.get(text);
    if (tokens === undefined) {
      tokens = text.length === 0 ? 0 : module.countTokens(text, PLAIN_TEXT);
      if (short.size < SHORT_CACHE_ENTRIES) short.set(text, tokens);
    }
    return tokens;
  };
  const encoder: Encoder = { name, count };
  loaded.set(name, encoder);
  return encoder;
}
