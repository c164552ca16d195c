import { describe, expect, it } from 'vitest';
import { checkSafety } from '../../../../src/core/dataset/safety/check.js';
import { mayHoldFinding } from '../../../../src/core/dataset/safety/scan.js';
import { validateStream } from '../../../../src/core/dataset/validate.js';
import { rng } from '../../../helpers/rng.js';

// Built from pieces so no file in the repository holds a whole key-shaped string.
const SECRETS = [
  ['sk-proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'T7uV0wX3yZ6'],
  ['sk-ant-', 'api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1w'],
  ['AKIA', 'IOSFODNN7', 'EXAMPLE'],
  ['ASIA', 'IOSFODNN7', 'EXAMPLE'],
  ['ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'],
  ['github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuv'],
  ['xoxb-', '1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['AIza', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'],
  ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0.', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
  ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\n-----END RSA ', 'PRIVATE KEY-----'],
  ['jane.doe', '@acme-mail.co.uk'],
].map((parts) => parts.join(''));
const PROSE = ['Hello, how are you?', 'line one\nline two', 'a "quoted" word', 'path C:\\dir\\file', 'https://docs.site.io/a/b', 'naïve café 東京 🙂', 'x => x.id', '\t'];
const loc = { file: 'f.jsonl', line: 1 };

/** JSON text of `value` in which some characters of strings are written as `\uXXXX` or `\/`, as other encoders do. */
function encode(value: unknown, escapeChance: number, random: () => number): string {
  if (typeof value === 'string') {
    let out = '"';
    for (const ch of value) {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && random() < escapeChance) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else if (ch === '/' && random() < 0.5) out += '\\/';
      else out += JSON.stringify(ch).slice(1, -1);
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => encode(v, escapeChance, random)).join(',')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${encode(v, escapeChance, random)}`).join(',')}}`;
  return JSON.stringify(value);
}

function example(content: string, args: string) {
  return {
    messages: [
      { role: 'user', content },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: JSON.stringify({ value: args }) } }] },
    ],
  };
}

describe('the safety pre-scan of the raw line', () => {
  it('finds every kind of secret and an e-mail in plain, \\u-escaped, \\/-escaped and nested JSON', () => {
    for (const secret of SECRETS) {
      for (const content of [secret, `see ${secret}.`, `line\n${secret}`, `"${secret}"`, `path/${secret}/x`]) {
        const value = example(content, 'none');
        const slow = checkSafety(value, 'chat', loc);
        expect(slow.length, content).toBeGreaterThan(0);
        for (const text of [JSON.stringify(value), encode(value, 1, rng(1)), encode(value, 0.3, rng(2)), encode(value, 0, rng(3))]) {
          expect(JSON.parse(text)).toEqual(value);
          expect(checkSafety(value, 'chat', loc, text), text).toEqual(slow);
        }
        // Inside a tool call's arguments: a JSON string inside a JSON string.
        const nested = example('hi', content);
        expect(checkSafety(nested, 'chat', loc, JSON.stringify(nested))).toEqual(checkSafety(nested, 'chat', loc));
      }
    }
  });

  it('never hides a finding the full scan reports, over many random lines', () => {
    const random = rng(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    let withFindings = 0;
    for (let i = 0; i < 3000; i++) {
      const pieces: string[] = [];
      for (let n = 1 + Math.floor(random() * 5); n > 0; n--) {
        const secret = pick(SECRETS);
        // Whole secrets, cut ones, and ones glued to prose or to each other.
        pieces.push(random() < 0.5 ? pick(PROSE) : random() < 0.7 ? secret : secret.slice(0, Math.floor(random() * secret.length)));
      }
      const value = example(pieces.join(random() < 0.5 ? ' ' : ''), pick(PROSE));
      const slow = checkSafety(value, 'chat', loc);
      if (slow.length > 0) withFindings++;
      const text = encode(value, random() < 0.5 ? 0 : random() * 0.5, random);
      expect(checkSafety(value, 'chat', loc, text), text).toEqual(slow);
    }
    expect(withFindings).toBeGreaterThan(1000);
  });

  it('lets ordinary lines through without a walk', () => {
    const lines = [
      JSON.stringify(example('Can you refund order 1234? It arrived broken.\n\n```ts\nconst total = items.map((x) => x.price).reduce((a, b) => a + b, 0);\n```', 'none')),
      JSON.stringify({ messages: [{ role: 'user', content: 'Bonjour, où est la gare ? 東京駅はどこですか' }, { role: 'assistant', content: 'Tout droit, puis à gauche.' }] }),
    ];
    for (const line of lines) expect(mayHoldFinding(line), line).toBe(false);
  });

  it('sends a line to the full scan when it holds a trigger, even one the full scan then drops', () => {
    for (const text of ['{"c":"ask-me"}', '{"c":"a@example.com"}', '{"c":"\\u0041"}', '{"c":"my_github_repo"}', '{"c":"heyJo"}', '{"c":"AIza"}']) expect(mayHoldFinding(text), text).toBe(true);
  });
});

describe('validate with the pre-scan', () => {
  it('reports secrets and addresses written with JSON escapes, on the right lines', async () => {
    const turn = (content: string) => ({ messages: [{ role: 'user', content }, { role: 'assistant', content: 'ok' }] });
    const lines = [
      JSON.stringify(turn('nothing to see here')),
      encode(turn(`token ${SECRETS[0] ?? ''}`), 1, rng(7)),
      encode(turn('mail jane.doe@acme-mail.co.uk'), 1, rng(8)),
      JSON.stringify(turn(`plain ${SECRETS[4] ?? ''}`)),
      ...Array.from({ length: 10 }, (_, i) => JSON.stringify(turn(`question ${i}`))),
    ];
    const report = await validateStream('mem.jsonl', (async function* () {
      yield `${lines.join('\n')}\n`;
    })());
    expect(report.issues.filter((i) => i.code === 'possible_secret' || i.code === 'email_address').map((i) => [i.code, i.line, i.field])).toEqual([
      ['possible_secret', 2, 'messages[0].content'],
      ['email_address', 3, 'messages[0].content'],
      ['possible_secret', 4, 'messages[0].content'],
    ]);
  });

  it('says "maybe" exactly where the triggers stand, over random text dense in their characters', () => {
    // The triggers as one regular expression (what the pre-scan searched with before): the spec.
    const spec = /-(?:(?<=sk-)|(?<=xox[abposr]-)|----BEGIN )|_(?<=gh[pousr]_|github_)|J(?<=eyJ)|A(?:[KS]IA|Iza)|@(?<=[\w.%+-]@)[A-Za-z0-9]|\\u/;
    const pieces = ['s', 'k', '-', 'x', 'o', 'a', 'b', 'p', 'r', 'g', 'h', 'i', 't', 'u', '_', 'e', 'y', 'J', 'A', 'K', 'S', 'I', 'z', '@', '.', '%', '+', '\\', ' ', '\n', 'é', '東', '1', '-----BEGIN ', 'xoxb', 'github', 'gh', 'AKI', 'eyJ', 'sk'];
    const random = rng(7);
    let maybe = 0;
    for (let i = 0; i < 20000; i++) {
      let text = '';
      for (let n = Math.floor(random() * 12); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
      const expected = spec.test(text);
      if (expected) maybe++;
      expect(mayHoldFinding(text), JSON.stringify(text)).toBe(expected);
    }
    expect(maybe).toBeGreaterThan(2000);
    expect(maybe).toBeLessThan(18000);
  });
});
