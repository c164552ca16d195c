// What a watched job costs in HTTP requests, start to end, at the default interval: the core watch
// loop (dist/) against the fake OpenAI, with the loop's sleeps moving the fake's clock instead of
// waiting. Targets: at most one job request per interval; backoff during an outage stays under its cap.
import { buildFakeOpenAI, dist } from './fake-openai.mjs';

const MINUTE = 60_000;
/** A realistic small job: 1 min validating, 5 min queued, 300 steps over 30 min. */
const PLAN = { validatingMs: MINUTE, queuedMs: 5 * MINUTE, steps: 300, stepMs: 6000 };

async function watchOnce(fakeUrl, faults) {
  const { startFakeOpenAI } = await import(fakeUrl);
  const fake = await startFakeOpenAI({ jobPlan: PLAN });
  const { factory } = await dist('core/providers/openai/index.js');
  const { watchJob, DEFAULT_INTERVAL_MS } = await dist('core/jobs/watch.js');
  const provider = factory.create({ apiKey: fake.apiKey, baseUrl: fake.baseURL, maxRetries: 0 });
  const file = await uploadSample(fake);
  const job = await provider.createJob({ baseModel: 'gpt-4.1-mini-2025-04-14', trainingFileId: file.id, method: 'supervised', hyperparameters: { epochs: 3 } });
  for (const f of faults) fake.faults.push(f);
  const before = fake.requests.length;
  let sleeps = 0;
  let longest = 0;
  let intervalsWithTwoPolls = 0;
  let pollsThisInterval = 0;
  const clock = {
    now: () => fake.clock.now(),
    sleep: async (ms) => {
      sleeps++;
      longest = Math.max(longest, ms);
      if (pollsThisInterval > 1) intervalsWithTwoPolls++;
      pollsThisInterval = 0;
      fake.clock.advance(ms);
    },
  };
  const res = await watchJob({ provider, jobId: job.id, cursor: null, clock, onJob: () => void pollsThisInterval++ });
  const finishedMs = (res.job.finishedAt ?? 0) * 1000;
  const requests = fake.requests.slice(before);
  await fake.close();
  return {
    requests: requests.length,
    jobRequests: requests.filter((r) => /^\/v1\/fine_tuning\/jobs\/[^/]+$/.test(r.path)).length,
    eventRequests: requests.filter((r) => r.path.endsWith('/events')).length,
    sleeps,
    intervalsWithTwoPolls,
    jobMinutes: (finishedMs - job.createdAt * 1000) / MINUTE,
    longestSleepS: longest / 1000,
    intervalS: DEFAULT_INTERVAL_MS / 1000,
  };
}

/** A tiny training file, straight into the fake's Files API. */
async function uploadSample(fake) {
  const { FormData, File } = globalThis;
  const form = new FormData();
  form.set('purpose', 'fine-tune');
  form.set('file', new File(['{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n'], 'train.jsonl'));
  const res = await globalThis.fetch(`${fake.baseURL}/files`, { method: 'POST', headers: { authorization: `Bearer ${fake.apiKey}` }, body: form });
  return res.json();
}

export default {
  name: 'polling',
  // The fake's clock moves only when the loop sleeps: every run counts the same requests.
  rounds: 1,
  async setup() {
    return { fakeUrl: buildFakeOpenAI() };
  },
  cases: {
    steady: ({ fakeUrl }) => watchOnce(fakeUrl, []),
    // 2 minutes of 503s half-way through: the loop backs off instead of hammering.
    outage: ({ fakeUrl }) => watchOnce(fakeUrl, [{ match: 'GET /v1/fine_tuning/jobs/*', skip: 100, times: 6, status: 503 }]),
  },
  report(results) {
    const [s] = results.steady;
    const [o] = results.outage;
    return [
      { metric: `job length (min) at the default ${s.intervalS}s interval`, value: s.jobMinutes.toFixed(0) },
      { metric: 'requests for the whole job', value: s.requests },
      { metric: '  job polls / event-page requests', value: `${s.jobRequests} / ${s.eventRequests}` },
      { metric: 'requests per minute of job', value: (s.requests / s.jobMinutes).toFixed(1) },
      { metric: 'intervals with more than one job request', value: s.intervalsWithTwoPolls, target: '0', ok: s.intervalsWithTwoPolls === 0 },
      { metric: 'with 6 × 503 mid-job: requests', value: o.requests },
      { metric: 'with 6 × 503 mid-job: longest wait between polls (s)', value: o.longestSleepS, target: '≤ 120 (cap)', ok: o.longestSleepS <= 120 },
    ];
  },
};
