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

/** The parts of gpt-tokenizer's BytePairEncodingCore (v4) that textTableCounter uses. */
interface EncodingCore {
  getBpeRankFromString(piece: string): number | undefined;
  bytePairEncode(piece: string): number[];
  tokenSplitRegex: RegExp;
  bytePairStringRankEncoder: Map<string, number>;
  bytePairNonUtfSortedEncoder: unknown[];
}

/**
 * Counts text in the encoding, as its countTokens does with special-token text taken as text:
 * from the rank table the build writes beside this module (or, from the sources, the built copy
 * in dist/); without one, with the package's own module.
 *
 * gpt-tokenizer splits text with its pattern through matchAll (an iterator, a match array and a
 * destructuring per piece) and finds each piece's rank with Map.get on a Map of the ~200k token
 * strings it builds in each thread; the two took about half of all counting time. llmgw hands the
 * package only the few byte tokens, answers the string lookups from an object keyed by token
 * text (null prototype: V8's keyed lookup finds a fresh string through its string table, ~40%
 * faster than Map.get; JSON.parse builds it at its final size) and walks the pieces with the same
 * pattern made sticky, merging the pieces that are not one token with the package's own
 * bytePairEncode: on 100 MB of chat text ~15% less counting time than the package with the same
 * lookup, ~30% less than the package as shipped, and less memory per thread. The counts are the
 * package's (test/core/tokens/encodings.test.ts). Should its internals not be the ones this
 * expects, the encoding is built and counts as the package does.
 */
function loadEncoding(name: EncodingName): (text: string) => number {
  const candidates = [new URL(`./ranks/${name}.json`, import.meta.url), new URL(`../../../dist/core/tokens/ranks/${name}.json`, import.meta.url)].map((url) => fileURLToPath(url));
  const file = candidates.find((path) => existsSync(path));
  if (file === undefined) return packageCounter(requireFromHere(`gpt-tokenizer/cjs/encoding/${name}`) as EncodingModule);
  const { GptEncoding } = requireFromHere('gpt-tokenizer/cjs/GptEncoding') as { GptEncoding: GptEncodingClass };
  const tables = JSON.parse(readFileSync(file, 'utf8')) as RankTables;
  const text = Object.setPrototypeOf(tables.text, null) as Record<string, number>;
  // The package's table with only the byte tokens in it (holes elsewhere, which it skips).
  const byteRanks: unknown[] = new Array(tables.size);
  for (const [rank, bytes] of tables.bytes) byteRanks[rank] = bytes;
  const api = GptEncoding.getEncodingApi(name, () => byteRanks);
  const counter = textTableCounter(api, text, tables.bytes.length);
  if (counter !== undefined) return counter;
  const ranks: unknown[] = byteRanks.slice();
  for (const token in text) ranks[text[token] as number] = token;
  return packageCounter(GptEncoding.getEncodingApi(name, () => ranks));
}

function packageCounter(module: EncodingModule): (text: string) => number {
  // The default LRU merge cache (100k entries) halves throughput on large, varied data and adds
  // ~180 MB (DESIGN §8); without it memory stays flat however much text goes through.
  module.setMergeCacheSize(0);
  return (text) => module.countTokens(text, PLAIN_TEXT);
}

/** The counter over `text`'s ranks, or undefined (nothing changed) when the package's internals are not the expected ones. */
function textTableCounter(api: EncodingModule, text: Record<string, number>, byteTokens: number): ((text: string) => number) | undefined {
  const core = (api as { bytePairEncodingCoreProcessor?: Partial<EncodingCore> }).bytePairEncodingCoreProcessor;
  if (core === undefined || typeof core.getBpeRankFromString !== 'function' || typeof core.bytePairEncode !== 'function') return undefined;
  if (!(core.tokenSplitRegex instanceof RegExp) || !core.tokenSplitRegex.global || core.tokenSplitRegex.sticky) return undefined;
  if (!(core.bytePairStringRankEncoder instanceof Map) || !Array.isArray(core.bytePairNonUtfSortedEncoder) || core.bytePairNonUtfSortedEncoder.length !== byteTokens) return undefined;
  const whole = packageCounter(api);
  // bytePairEncode looks its pieces and their byte pairs up through this.
  core.getBpeRankFromString = (piece) => text[piece];
  const merge = core.bytePairEncode.bind(core);
  // At each piece's end the sticky pattern tries exactly where the global one would try first,
  // so while every character is in some piece (the pattern is made so) the pieces are the same.
  const pieces = new RegExp(core.tokenSplitRegex.source, core.tokenSplitRegex.flags.replace('g', 'y'));
  return (input) => {
    let count = 0;
    let at = 0;
    pieces.lastIndex = 0;
    while (at < input.length) {
      // A character in no piece (none is known): count as the package does.
      if (!pieces.test(input) || pieces.lastIndex === at) return whole(input);
      const piece = input.slice(at, pieces.lastIndex);
      count += text[piece] !== undefined ? 1 : merge(piece).length;
      at = pieces.lastIndex;
    }
    return count;
  };
}

/** The encoder for `name`, loading its rank table on first use. */
export function getEncoder(name: EncodingName): Encoder {
  const cached = loaded.get(name);
  if (cached) return cached;
  const countText = loadEncoding(name);
  // Roles, names and one-word answers repeat on every line; a small bounded cache of short
  // strings saves a tokenizer call for each (unlike the merge cache it never grows past 4096).
  const short = new Map<string, number>();
  const count = (text: string): number => {
    if (text.length > SHORT_TEXT_CHARS) return countText(text);
    let tokens = short.get(text);
    if (tokens === undefined) {
      tokens = text.length === 0 ? 0 : countText(text);
      if (short.size < SHORT_CACHE_ENTRIES) short.set(text, tokens);
    }
    return tokens;
  };
  const encoder: Encoder = { name, count };
  loaded.set(name, encoder);
  return encoder;
}
