import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode, InterruptedError, TimeoutError } from '../../../src/core/errors.js';
import { fetchNewEvents } from '../../../src/core/jobs/events.js';
import { UNKNOWN_STATE_POLLS, UnknownJobStateError, watchJob, type WatchClock } from '../../../src/core/jobs/watch.js';
import type { JobEvent } from '../../../src/core/providers/types.js';
import { bench, trainingFile, type Bench } from './helpers.js';

let b: Bench | undefined;
afterEach(async () => {
  await b?.close();
  b = undefined;
});

/** A clock whose sleeps move the fake's clock instead of waiting. */
function fakeTime(t: Bench, sleeps: number[] = []): WatchClock {
  return {
    now: () => t.fake.clock.now(),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new Error('aborted');
      sleeps.push(ms);
      t.fake.clock.advance(ms);
    },
  };
}

async function newJob(t: Bench): Promise<string> {
  const fileId = await trainingFile(t);
  return (await t.provider.createJob({ ledgerId: 'lj_00000000000000000001', baseModel: 'gpt-4.1-mini-2025-04-14', trainingFileId: fileId, method: 'supervised', hyperparameters: {} })).id;
}

describe('watchJob', () => {
  it('follows a job to success, each event once and in order, at most one job request per interval', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    const seen: JobEvent[] = [];
    const sleeps: number[] = [];
    const res = await watchJob({ provider: t.provider, jobId: id, cursor: null, intervalMs: 10_000, clock: fakeTime(t, sleeps), onEvents: (e) => void seen.push(...e) });
    expect(res.job.status).toBe('succeeded');
    expect(res.job.fineTunedModel).toMatch(/^ft:/);
    expect(seen.map((e) => e.id)).toEqual(t.fake.jobs.get(id).events.map((e) => e.id));
    expect(res.cursor).toBe(seen.at(-1)?.id);
    expect(sleeps.every((s) => s === 10_000)).toBe(true);
    expect(t.fake.count('GET /v1/fine_tuning/jobs/*')).toBe(sleeps.length + 1);
  });

  it('backs off to the cap while the provider fails, then recovers', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    t.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', times: 6, status: 503 });
    const sleeps: number[] = [];
    const retries: number[] = [];
    let recovered = 0;
    const res = await watchJob({
      provider: t.provider,
      jobId: id,
      cursor: null,
      intervalMs: 1000,
      maxBackoffMs: 8000,
      clock: fakeTime(t, sleeps),
      onRetry: (_e, d) => void retries.push(d),
      onRecovered: () => void recovered++,
    });
    expect(res.job.status).toBe('succeeded');
    expect(retries).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(recovered).toBe(1);
  });

  it('does not retry what waiting cannot fix (a 404)', async () => {
    b = await bench();
    const t = b;
    await expect(watchJob({ provider: t.provider, jobId: 'ftjob-nope', cursor: null, clock: fakeTime(t) })).rejects.toMatchObject({ code: 'provider_not_found' });
  });

  it('gives up at the deadline with a TimeoutError', async () => {
    b = await bench({ jobPlan: { queuedMs: 3_600_000 } });
    const t = b;
    const id = await newJob(t);
    const clock = fakeTime(t);
    await expect(watchJob({ provider: t.provider, jobId: id, cursor: null, intervalMs: 10_000, deadline: clock.now() + 60_000, clock })).rejects.toBeInstanceOf(TimeoutError);
    expect(t.fake.count('GET /v1/fine_tuning/jobs/*')).toBeLessThanOrEqual(7);
  });

  it('stops with an InterruptedError naming the resume command when the signal fires', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    const ac = new AbortController();
    let polls = 0;
    const err = await watchJob({ provider: t.provider, jobId: id, cursor: null, signal: ac.signal, clock: fakeTime(t), onJob: () => (++polls === 2 ? ac.abort() : undefined) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).hint).toContain(`llmgw tune watch ${id}`);
  });
});

describe('watchJob and states llmgw does not know', () => {
  it('stops after the allowed polls with exit 4 naming the state and the commands, long before the deadline', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    // A word outside OpenAI's documented enum; the fake's clock no longer moves such a job.
    t.fake.jobs.get(id).object.status = 'frozen' as never;
    const warned: string[] = [];
    const clock = fakeTime(t);
    const err = await watchJob({
      provider: t.provider,
      jobId: id,
      cursor: null,
      intervalMs: 10_000,
      deadline: clock.now() + 24 * 3_600_000,
      clock,
      check: `llmgw tune status ${id} --manifest ops/routes.json`,
      onUnknownState: (job, left) => void warned.push(`${job.providerStatus} ${left}`),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownJobStateError);
    const e = err as UnknownJobStateError;
    expect(e.exitCode).toBe(ExitCode.provider);
    expect(e.code).toBe('unknown_job_state');
    expect(e.message).toContain('"frozen"');
    expect(e.job).toMatchObject({ status: 'unknown', providerStatus: 'frozen' });
    expect(e.hint).toContain(`llmgw tune status ${id} --manifest ops/routes.json`);
    expect(e.hint).toContain(`llmgw tune watch ${id}`);
    expect(warned).toEqual([`frozen ${UNKNOWN_STATE_POLLS - 1}`]);
    expect(t.fake.count('GET /v1/fine_tuning/jobs/*')).toBe(UNKNOWN_STATE_POLLS);
  });

  it('keeps watching through a passing unknown state: the count starts again at a known one', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    const job = t.fake.jobs.get(id);
    let polls = 0;
    const res = await watchJob({
      provider: t.provider,
      jobId: id,
      cursor: null,
      intervalMs: 10_000,
      clock: fakeTime(t),
      unknownStatePolls: 3,
      onJob: () => {
        polls += 1;
        // Two unknown polls, a known one, two unknown again: never three in a row.
        if (polls === 1 || polls === 4) job.object.status = 'frozen' as never;
        if (polls === 3 || polls === 6) job.object.status = 'running';
      },
    });
    expect(res.job.status).toBe('succeeded');
  });
});

describe('fetchNewEvents', () => {
  it('pages from the newest back to the cursor and returns only newer events, oldest first', async () => {
    b = await bench({ jobPlan: { steps: 250 } });
    const t = b;
    const id = await newJob(t);
    t.fake.clock.advance(5000 + 120_000);
    const first = await fetchNewEvents(t.provider, id, null);
    t.fake.jobs.finish(id);
    const second = await fetchNewEvents(t.provider, id, first.cursor);
    const all = t.fake.jobs.get(id).events.map((e) => e.id);
    expect([...first.events, ...second.events].map((e) => e.id)).toEqual(all);
    expect(second.requests).toBeGreaterThan(1);
    expect(await fetchNewEvents(t.provider, id, second.cursor)).toMatchObject({ events: [], cursor: second.cursor, requests: 1 });
  });
});

describe('watchJob deadline', () => {
  it('aborts a request still hanging when the deadline passes', async () => {
    b = await bench();
    const t = b;
    const id = await newJob(t);
    t.fake.faults.push({ match: 'GET /v1/fine_tuning/jobs/*', delayMs: 5000 });
    const realClock: WatchClock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    const started = Date.now();
    const err = await watchJob({ provider: t.provider, jobId: id, cursor: null, deadline: Date.now() + 300, clock: realClock }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
