import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens as cl100kCount } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200kCount } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { getEncoder } from '../../../src/core/tokens/encodings.js';
import { rng } from '../../helpers/rng.js';

// getEncoder builds the tokenizer from the JSON rank tables the build writes (less memory per
// worker than the package's JavaScript tables); its counts must be the package's own.
const ranks = join(import.meta.dirname, '../../../dist/core/tokens/ranks');
const plain = { disallowedSpecial: new Set<string>() };

/** Text that reaches every corner of the tables: byte-level tokens, scripts, emoji, code, specials. */
function samples(): string[] {
  const fixed = [
    '',
    'hello world',
    'The quick brown fox jumps over the lazy dog.',
    'naïve café façade Zürich São Paulo jalapeño',
    '東京 你好 こんにちは Привет εὐχαριστῶ مرحبا नमस्ते 안녕하세요',
    '😀👍🏽👨‍👩‍👧‍👦 🇫🇷 ∑∫√∞ ≠ ≤ — € °C',
    'function f(x) {\n\treturn x ** 2; // square\n}\n\n\n    indented',
    '<|endoftext|> <|im_start|>user<|im_sep|> <|fim_prefix|>',
    '\u0000\u0001\u001f\u007f\u0080\u00ff\ufffd\ud83d',
    '12345678901234567890 3.14159 -42 1e10 0x1F',
    'https://example.com/a/b?c=d&e=f#g user@example.com',
    // Pieces named like Object.prototype's members or array indices: the encoder looks pieces up
    // in an object keyed by token text (encodings.ts), where these would be the traps.
    '__proto__ constructor toString valueOf hasOwnProperty prototype __defineGetter__ length 0 1 00 -1 4294967295 NaN undefined null',
    'x.__proto__ = {}; obj.constructor.prototype.toString()',
  ];
  // Every code point of a few ranges, which covers the byte tokens that are not UTF-8 on their own.
  let ranges = '';
  for (const [from, to] of [[0x20, 0x2ff], [0x370, 0x52f], [0x4e00, 0x4fff], [0x1f300, 0x1f5ff]] as const) {
    for (let cp = from; cp <= to; cp++) ranges += String.fromCodePoint(cp);
  }
  const chunks = Array.from({ length: Math.ceil(ranges.length / 64) }, (_, i) => ranges.slice(i * 64, (i + 1) * 64));
  return [...fixed, ...chunks];
}

describe('getEncoder', () => {
  it('is built from the JSON rank tables the build writes', () => {
    expect(existsSync(join(ranks, 'o200k_base.json'))).toBe(true);
    expect(existsSync(join(ranks, 'cl100k_base.json'))).toBe(true);
  });

  it('counts exactly as gpt-tokenizer’s own o200k and cl100k encoders', () => {
    const o200k = getEncoder('o200k_base');
    const cl100k = getEncoder('cl100k_base');
    for (const text of samples()) {
      expect(o200k.count(text), JSON.stringify(text.slice(0, 40))).toBe(o200kCount(text, plain));
      expect(cl100k.count(text), JSON.stringify(text.slice(0, 40))).toBe(cl100kCount(text, plain));
    }
  });

  it('counts random text of every character class exactly as the package does', () => {
    // Pieces that meet at every kind of boundary of the split patterns: case changes, contractions,
    // digit runs, whitespace before newlines and at the end, marks, symbols, specials, surrogates.
    const pieces = [
      'Hello', 'WORLD', 'camelCase', "'s", "'LL", "'re", 'naïve', 'Ωμέγα', 'Привет', '東京都', 'ひらがな', 'مرحبا', 'नमस्ते', 'e\u0301', '\u0301',
      '1', '12345', '３４', '½', ' ', '  ', '   ', '\t', '\n', '\r\n', '\n\n', ' \n', '\u00a0', '\u3000', '\u2028',
      '.', ',', '!?', '...', '/', '//', '<|endoftext|>', '<|im_start|>', '{"a":1}', '=>', '😀', '👍🏽', '🇫🇷', '\ud83d', '\u0000', '\u007f', '$', '€',
    ];
    const random = rng(5);
    const o200k = getEncoder('o200k_base');
    const cl100k = getEncoder('cl100k_base');
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let n = 1 + Math.floor(random() * 24); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
      expect(o200k.count(text), JSON.stringify(text)).toBe(o200kCount(text, plain));
      expect(cl100k.count(text), JSON.stringify(text)).toBe(cl100kCount(text, plain));
    }
  });
});
