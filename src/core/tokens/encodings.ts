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

/** The rank table as scripts/rank-tables.mjs writes it at build time. */
interface RankTables {
  /** Ranks in the package's table. */
  size: number;
  /** Every token that is a string, by its text. */
  text: Record<string, number>;
  /** The tokens that are not UTF-8 on their own: [rank, bytes]. */
  bytes: [number, number[]][];
}

/** The part of gpt-tokenizer's BytePairEncodingCore (v4) that useTextTable replaces. */
interface PieceLookup {
  getBpeRankFromString(piece: string): number | undefined;
  bytePairStringRankEncoder: Map<string, number>;
  bytePairNonUtfSortedEncoder: unknown[];
}

/**
 * The encoding, from the rank table the build writes beside this module (or, from the sources,
 * the built copy in dist/); without one, the package's own module.
 *
 * gpt-tokenizer finds the rank of every pre-split piece, and of every byte pair it merges, with
 * Map.get on a Map of the ~200k token strings it builds in each thread: about a third of all
 * counting time. llmgw hands the package only the few byte tokens and answers the string lookups
 * from an object keyed by token text instead (null prototype), which V8 answers ~40% faster (its
 * keyed lookup finds a fresh string through the string table) and JSON.parse builds at its final
 * size: on 100 MB of chat data ~10% less counting time, and less memory per thread than the
 * package's array and Map. Counts are the package's own (test/core/tokens/encodings.test.ts).
 * Should the package's internals not be the ones this expects, it is built as the package builds it.
 */
function loadEncoding(name: EncodingName): EncodingModule {
  const candidates = [new URL(`./ranks/${name}.json`, import.meta.url), new URL(`../../../dist/core/tokens/ranks/${name}.json`, import.meta.url)].map((url) => fileURLToPath(url));
  const file = candidates.find((path) => existsSync(path));
  if (file === undefined) return requireFromHere(`gpt-tokenizer/cjs/encoding/${name}`) as EncodingModule;
  const { GptEncoding } = requireFromHere('gpt-tokenizer/cjs/GptEncoding') as { GptEncoding: GptEncodingClass };
  const tables = JSON.parse(readFileSync(file, 'utf8')) as RankTables;
  const text = Object.setPrototypeOf(tables.text, null) as Record<string, number>;
  // The package's table with only the byte tokens in it (holes elsewhere, which it skips).
  const byteRanks: unknown[] = new Array(tables.size);
  for (const [rank, bytes] of tables.bytes) byteRanks[rank] = bytes;
  const api = GptEncoding.getEncodingApi(name, () => byteRanks);
  if (useTextTable(api, text, tables.bytes.length)) return api;
  const ranks: unknown[] = byteRanks.slice();
  for (const token in text) ranks[text[token] as number] = token;
  return GptEncoding.getEncodingApi(name, () => ranks);
}

/** Points the package's string lookup at `text`; false, and nothing changed, when its internals are not the expected ones. */
function useTextTable(api: EncodingModule, text: Record<string, number>, byteTokens: number): boolean {
  const core = (api as { bytePairEncodingCoreProcessor?: Partial<PieceLookup> }).bytePairEncodingCoreProcessor;
  if (core === undefined || typeof core.getBpeRankFromString !== 'function') return false;
  if (!(core.bytePairStringRankEncoder instanceof Map) || !Array.isArray(core.bytePairNonUtfSortedEncoder) || core.bytePairNonUtfSortedEncoder.length !== byteTokens) return false;
  core.getBpeRankFromString = (piece) => text[piece];
  return true;
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
