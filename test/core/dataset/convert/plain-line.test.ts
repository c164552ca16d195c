/**
 * The byte scanner (plain-line.ts) may call a line plain only when the parsing path would: the
 * line parses, the record is plain (isPlainChatRecord) and the secret pre-scan has nothing to look
 * at (mayHoldFinding). It is held to that over many random lines, well-formed and broken, and it
 * must also recognise the common shapes, or it would save nothing.
 */
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { NOT_SURE, scanPlainLine } from '../../../../src/core/dataset/convert/plain-line.js';
import { isPlainChatRecord } from '../../../../src/core/dataset/convert/plain.js';
import { mayHoldFinding, secretTriggerAt } from '../../../../src/core/dataset/safety/scan.js';
import { mutateLine, randomChatLine } from '../../../helpers/chat-lines.js';
import { rng } from '../../../helpers/rng.js';

/** The parsing path's answer for the line: NOT_SURE, or how many U+FFFD a plain line holds. */
function parsingPath(line: Buffer): number {
  const text = line.toString('utf8');
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return NOT_SURE;
  }
  if (!isPlainChatRecord(record) || mayHoldFinding(text)) return NOT_SURE;
  return text.split('\ufffd').length - 1;
}

function scan(line: string | Buffer): number {
  return scanPlainLine(typeof line === 'string' ? Buffer.from(line) : line);
}

describe('scanPlainLine', () => {
  it('calls a line plain only when the parsing path would, and counts the same U+FFFD', () => {
    const random = rng(11);
    const seen = { plain: 0, parsedPlain: 0, replacement: 0, broken: 0 };
    for (let i = 0; i < 40000; i++) {
      let line: Buffer = Buffer.from(randomChatLine(random));
      if (random() < 0.3) line = mutateLine(line, random);
      if (!isUtf8(line)) continue; // the caller checks UTF-8 first
      const expected = parsingPath(line);
      const got = scanPlainLine(line);
      if (got !== NOT_SURE) expect(got, line.toString()).toBe(expected);
      if (got !== NOT_SURE) seen.plain++;
      if (expected !== NOT_SURE) seen.parsedPlain++;
      if (got > 0) seen.replacement++;
      if (expected === NOT_SURE) seen.broken++;
    }
    // Enough of every kind for the comparison to mean something, and most plain lines recognised
    // (the rest start with whitespace or an escape, which the scanner leaves to the parser).
    expect(seen.plain).toBeGreaterThan(1500);
    expect(seen.replacement).toBeGreaterThan(100);
    expect(seen.broken).toBeGreaterThan(10000);
    expect(seen.plain / seen.parsedPlain).toBeGreaterThan(0.6);
  });

  it('recognises the common shapes: compact, spaced as Python writes it, either key order, escapes, any script', () => {
    const lines = [
      '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello."}]}',
      '{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]}',
      '{ "messages" : [ { "content" : "Hi" , "role" : "user" } , { "content" : "Hello." , "role" : "assistant" } ] }\t',
      '{"messages":[{"role":"user","content":"line one\\nline \\"two\\" \\\\ \\/ \\t"},{"role":"assistant","content":"\\"quoted\\" first"}]}',
      '{"messages":[{"role":"user","content":"°C 你好 👍 café"},{"role":"assistant","content":"東京"}]}',
      '{"messages":[{"role":"assistant","content":"only me"}]}',
    ];
    for (const line of lines) {
      expect(parsingPath(Buffer.from(line)), line).toBe(0);
      expect(scan(line), line).toBe(0);
    }
    expect(scan('{"messages":[{"role":"user","content":"a \ufffd b \ufffd"},{"role":"assistant","content":"ok\ufffd"}]}')).toBe(3);
  });

  it.each([
    ['a \\u escape', '{"messages":[{"role":"user","content":"\\u0041"},{"role":"assistant","content":"ok"}]}'],
    ['a \\\\u, which the pre-scan sees as \\u', '{"messages":[{"role":"user","content":"C:\\\\users"},{"role":"assistant","content":"ok"}]}'],
    ['a secret trigger', '{"messages":[{"role":"user","content":"my sk-key"},{"role":"assistant","content":"ok"}]}'],
    ['an e-mail address', '{"messages":[{"role":"user","content":"bob@corp.io"},{"role":"assistant","content":"ok"}]}'],
    ['content starting with whitespace', '{"messages":[{"role":"user","content":" Hi"},{"role":"assistant","content":"ok"}]}'],
    ['content starting with an escaped newline', '{"messages":[{"role":"user","content":"\\nHi"},{"role":"assistant","content":"ok"}]}'],
    ['content starting with U+3000', '{"messages":[{"role":"user","content":"\u3000Hi"},{"role":"assistant","content":"ok"}]}'],
    ['empty content', '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":""}]}'],
    ['a raw tab inside a string', '{"messages":[{"role":"user","content":"a\tb"},{"role":"assistant","content":"ok"}]}'],
    ['no assistant', '{"messages":[{"role":"user","content":"Hi"}]}'],
    ['no messages', '{"messages":[]}'],
    ['a tool message', '{"messages":[{"role":"tool","content":"Hi"},{"role":"assistant","content":"ok"}]}'],
    ['a key twice', '{"messages":[{"role":"user","role":"user","content":"Hi"},{"role":"assistant","content":"ok"}]}'],
    ['another key', '{"messages":[{"role":"user","content":"Hi","name":"x"},{"role":"assistant","content":"ok"}]}'],
    ['another top-level key', '{"messages":[{"role":"assistant","content":"ok"}],"id":1}'],
    ['a trailing comma', '{"messages":[{"role":"assistant","content":"ok"},]}'],
    ['text after the record', '{"messages":[{"role":"assistant","content":"ok"}]} x'],
    ['a cut line', '{"messages":[{"role":"assistant","content":"ok'],
    ['content parts', '{"messages":[{"role":"assistant","content":[{"type":"text","text":"ok"}]}]}'],
  ])('is not sure of %s', (_, line) => {
    expect(scan(line)).toBe(NOT_SURE);
  });
});

describe('secretTriggerAt', () => {
  it('finds on bytes what mayHoldFinding finds in the text', () => {
    const pieces = ['s', 'k', '-', 'x', 'o', 'a', 'b', 'z', 'p', 'g', 'h', 'i', 't', 'u', '_', 'e', 'y', 'J', 'A', 'K', 'S', 'I', '@', '.', '%', '+', ' ', 'é', '東', '👍', '1', '-----BEGIN ', 'xoxr', 'github', 'gh', 'eyJ', 'sk'];
    const random = rng(3);
    let found = 0;
    for (let i = 0; i < 20000; i++) {
      let text = '';
      for (let n = Math.floor(random() * 10); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
      const bytes = Buffer.from(text);
      let any = false;
      for (let at = 0; at < bytes.length && !any; at++) any = secretTriggerAt(bytes, at);
      if (any) found++;
      expect(any, JSON.stringify(text)).toBe(mayHoldFinding(text));
    }
    expect(found).toBeGreaterThan(2000);
  });
});
