import { createRequire } from 'node:module';

/** The BPE encodings llmgw counts with: o200k for the gpt-4o / gpt-4.1 / o-series families, cl100k for older models. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** The part of a gpt-tokenizer encoding module llmgw uses. */
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

/** The encoder for `name`, loading its rank table on first use. */
export function getEncoder(name: EncodingName): Encoder {
  const cached = loaded.get(name);
  if (cached) return cached;
  const module = requireFromHere(`gpt-tokenizer/cjs/encoding/${name}`) as EncodingModule;
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
