import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseDuration } from '../../src/cli/commands/tune/context.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
import { memoryIo } from '../helpers/io.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'tune');
const BASE = 'gpt-4.1-mini-2025-04-14';
let fake: FakeOpenAI;
let dir: string;

beforeEach(async () => {
  fake = await startFakeOpenAI({ advancePerRequestMs: 1000 });
  dir = await mkdtemp(join(tmpdir(), 'llmgw-tune-cli-'));
  await copyFile(join(FIXTURES, 'train.jsonl'), join(dir, 'train.jsonl'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** A clock that starts at `iso` and runs at the normal pace. */
const clockAt = (iso: string): (() => number) => {
  const offset = Date.parse(iso) - Date.now();
  return () => Date.now() + offset;
};
const io = (env: Record<string, string> = {}, now = clockAt('2026-11-24T09:00:00Z')) => memoryIo({ cwd: dir, env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL, ...env }, now });

describe('llmgw tune (in-process)', () => {
  it('lists its verbs, and every verb has an example in its help', async () => {
    const help = io();
    expect(await main(['tune', '--help'], help)).toBe(0);
    for (const verb of ['start', 'watch', 'status', 'list', 'cancel', 'events', 'checkpoints']) {
      expect(help.out()).toContain(verb);
      const v = io();
      expect(await main(['tune', verb, '--help'], v)).toBe(0);
      expect(v.out()).toContain('Examples:');
      expect(v.out()).toContain(`llmgw tune ${verb}`);
    }
  });

  it('starts and watches a job in-process, then status shows the model from the ledger', async () => {
    const start = io();
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--wait', '--interval', '0.01'], start)).toBe(0);
    expect(start.out()).toMatch(/succeeded ftjob-\S+ → ft:gpt-4\.1-mini-2025-04-14:llmgw-test::[A-Za-z0-9]{8}/);
    const status = io();
    const ledgerId = /ledger id\s+(lj_[0-9a-f]+)/.exec(start.out())?.[1] ?? '';
    expect(await main(['--json', 'tune', 'status', ledgerId], status)).toBe(0);
    expect(JSON.parse(status.out()).job).toMatchObject({ ledgerId, status: 'succeeded', inLedger: true });
  });

  it('an unknown job is a usage error with the hint, also as JSON', async () => {
    const r = io();
    expect(await main(['--json', 'tune', 'watch', 'lj_0000'], r)).toBe(2);
    expect(JSON.parse(r.out()).error).toMatchObject({ code: 'job_not_found', exitCode: 2 });
    expect(r.err()).toContain('llmgw tune list');
    expect(fake.requests).toEqual([]);
  });

  it('an empty project lists no jobs and says how to start one', async () => {
    const r = io();
    expect(await main(['tune', 'list'], r)).toBe(0);
    expect(r.out()).toContain('No jobs yet');
  });

  it('a bad --wait-timeout is a usage error before anything is sent', async () => {
    const r = io();
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--wait', '--wait-timeout', 'soon'], r)).toBe(2);
    expect(r.err()).toContain('not a duration');
    expect(fake.requests).toEqual([]);
  });
});

describe('the cost confirmation on a terminal', () => {
  // 6,050 billed tokens at $2,000 per 1M tokens: about $12, above the $10 threshold.
  const pricey = { LLMGW_TRAINING_PRICE: '2000' };
  const asking = (answer: string | undefined, asked: string[]) => ({ ...io(pricey), ask: async (q: string) => (asked.push(q), answer) });

  it('stops before uploading when the person answers no', async () => {
    const asked: string[] = [];
    const r = asking('n', asked);
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl'], r)).toBe(1);
    expect(asked[0]).toMatch(/estimated at \$12\.\d\d\. Start it\? \[y\/N\]/);
    expect(r.err()).toContain('--yes');
    expect(fake.requests).toEqual([]);
  });

  it('goes on after yes, and never asks with --yes or without a terminal', async () => {
    const asked: string[] = [];
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--suffix', 'a'], asking('y', asked))).toBe(0);
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--suffix', 'b', '--yes'], asking('n', asked))).toBe(0);
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--suffix', 'c'], asking(undefined, asked))).toBe(0);
    expect(asked).toHaveLength(2);
    expect(fake.state.jobs.size).toBe(3);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['2h', 7_200_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });
  it('refuses what is not a duration', () => {
    expect(() => parseDuration('2 hours', '--timeout')).toThrow(/not a duration/);
  });

  it('OpenAI takes no new jobs from 2027-01-06: a warning before, exit 2 from that day, naming the providers for the same data', async () => {
    const before = io({}, clockAt('2027-01-05T12:00:00Z'));
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--dry-run'], before)).toBe(0);
    expect(before.err()).toMatch(/OpenAI takes no new fine-tuning jobs from 2027-01-06 \(in 1 day\).*--provider azure, --provider together, --provider fireworks/);
    const on = io({}, clockAt('2027-01-06T00:00:00Z'));
    expect(await main(['--json', 'tune', 'start', '--model', BASE, '--train', 'train.jsonl'], on)).toBe(2);
    expect(JSON.parse(on.out()).error).toMatchObject({ code: 'provider_closed_to_new_jobs', hint: 'train the same data on --provider azure, --provider together, --provider fireworks, --provider bedrock, --provider vertex' });
    const dpo = io({}, clockAt('2027-02-01T00:00:00Z'));
    expect(await main(['tune', 'start', '--model', BASE, '--train', 'train.jsonl', '--method', 'dpo'], dpo)).toBe(2);
    expect(dpo.err()).toContain('--provider azure, --provider together');
    expect(dpo.err()).not.toContain('fireworks');
    expect(fake.requests).toEqual([]);
  });
});
