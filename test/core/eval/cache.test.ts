/**
 * The eval response cache: answers arriving together are written together (one writev) and every
 * one is found again, by offset, after the file is reopened; a line a crash cut short is skipped
 * and the next answer starts on a line of its own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../src/core/eval/cache.js';
import type { InferenceResponse } from '../../../src/core/inference/types.js';

const answer = (i: number): InferenceResponse => ({ text: `answer ${i} ${'é'.repeat(i % 7)}`, toolCalls: [], usage: { inputTokens: i, outputTokens: 2 * i }, latencyMs: i, ttftMs: null, finishReason: 'stop', model: 'm' });
const key = (i: number): string => i.toString(16).padStart(64, '0');

describe('the eval response cache', () => {
  it('keeps every one of many answers put at once, in whole lines, and finds each again after reopening', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'llmgw-cache-')), 'eval-cache.jsonl');
    const cache = await ResponseCache.open(path);
    await Promise.all(Array.from({ length: 300 }, (_, i) => cache.put(key(i), answer(i))));
    expect(await cache.get(key(123))).toEqual(answer(123));
    await cache.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(300);
    const again = await ResponseCache.open(path);
    expect(again.entries).toBe(300);
    for (const i of [0, 1, 150, 299]) expect(await again.get(key(i))).toEqual(answer(i));
    await again.close();
  });

  it('after a line cut short by a crash, the next answers start on a line of their own', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'llmgw-cache-')), 'eval-cache.jsonl');
    writeFileSync(path, `${JSON.stringify({ k: key(1), v: answer(1) })}\n{"k":"${key(2)}","v":{"te`);
    const cache = await ResponseCache.open(path);
    expect(cache.entries).toBe(1);
    await Promise.all([cache.put(key(3), answer(3)), cache.put(key(4), answer(4))]);
    expect(await cache.get(key(4))).toEqual(answer(4));
    await cache.close();
    const reopened = await ResponseCache.open(path);
    expect(reopened.entries).toBe(3);
    expect(await reopened.get(key(3))).toEqual(answer(3));
    expect(await reopened.get(key(2))).toBeUndefined();
    await reopened.close();
  });
});
