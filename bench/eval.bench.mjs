// Eval throughput against a chat server that answers at once: requests per second through
// llmgw's eval (dist/: dataset read, the OpenAI SDK client with streaming and the limiter, the
// response cache written per answer, scoring) against a bare loop of the same streamed requests
// through the same SDK at the same concurrency. Target: llmgw ≥ 0.8× the bare loop. Also the
// overhead per request, in wall and CPU milliseconds. The server runs in a child process.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist } from './fake-openai.mjs';
import { fmt, paired, ratioRow, timed, med } from './lib.mjs';

const CONCURRENCY = 8;

async function startServer() {
  const child = fork(join(import.meta.dirname, 'fake-chat.mjs'), [], { stdio: 'ignore' });
  const [{ port }] = await once(child, 'message');
  return { baseURL: `http://127.0.0.1:${port}/v1`, close: async () => { child.send('close'); await once(child, 'exit'); } };
}

export default {
  name: 'eval',
  rounds: undefined,
  setup(options) {
    const requests = Math.max(200, Math.round(options.mb * 20)); // --mb 100 → 2000 requests
    const dir = mkdtempSync(join(tmpdir(), 'llmgw-bench-eval-'));
    const data = join(dir, 'held.jsonl');
    writeFileSync(data, Array.from({ length: requests }, (_, i) => JSON.stringify({ messages: [{ role: 'system', content: 'Answer with the code.' }, { role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] })).join('\n') + '\n');
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { data, requests, dir };
  },
  cases: {
    async bare({ data, requests }) {
      const { default: OpenAI } = await import('openai');
      const { readFileSync } = await import('node:fs');
      const server = await startServer();
      const client = new OpenAI({ apiKey: 'sk-bench', baseURL: server.baseURL, maxRetries: 0 });
      const { result: _r, seconds, cpuSeconds } = await timed(async () => {
        const lines = readFileSync(data, 'utf8').trim().split('\n').map((l) => JSON.parse(l).messages.slice(0, -1));
        let next = 0;
        const worker = async () => {
          while (next < lines.length) {
            const messages = lines[next++];
            const stream = await client.chat.completions.create({ model: 'bench', messages, stream: true, stream_options: { include_usage: true } });
            let text = '';
            for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
            if (!text) throw new Error('empty answer');
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      });
      await server.close();
      return { seconds, cpuSeconds, requests };
    },
    async llmgw({ data, requests, dir }) {
      const server = await startServer();
      const { ResponseCache } = await dist('core/eval/cache.js');
      const { Limiter, limitedFetch } = await dist('core/eval/limiter.js');
      const { runEval } = await dist('core/eval/run.js');
      const { scanData, sampledExamples } = await dist('core/eval/sample.js');
      const { buildScorers } = await dist('core/eval/scorers/index.js');
      const { inferenceFactory } = await dist('core/inference/registry.js');
      const cacheDir = mkdtempSync(join(dir, 'cache-'));
      const limiter = new Limiter({ concurrency: CONCURRENCY });
      const client = (await inferenceFactory('openai')).create('bench', { apiKey: 'sk-bench', baseUrl: server.baseURL, maxRetries: 0, fetch: limitedFetch(globalThis.fetch, limiter) });
      let out;
      const { seconds, cpuSeconds } = await timed(async () => {
        const scan = await scanData(data);
        const cache = await ResponseCache.open(join(cacheDir, 'eval-cache.jsonl'));
        out = await runEval({ examples: sampledExamples(data, scan), total: scan.total, candidates: [{ name: 'bench', provider: 'openai', model: 'bench', source: 'provider', client, price: null }], scorers: buildScorers(['exact'], {}), cache, limiterFor: () => limiter });
        await cache.close();
      });
      await server.close();
      const rec = out.records[0];
      if (rec.sent !== requests || rec.overall.some((x) => x !== 1)) throw new Error(`llmgw run incomplete: ${rec.sent} sent, ${rec.failed} failed`);
      return { seconds, cpuSeconds, requests };
    },
  },
  report(results, params) {
    const rate = (r) => r.requests / r.seconds;
    return [
      { metric: `bare loop (openai SDK, ${CONCURRENCY} in flight), requests/s`, value: fmt(med(results.bare, 'requests') / med(results.bare, 'seconds'), 0) },
      { metric: 'llmgw eval, requests/s', value: fmt(med(results.llmgw, 'requests') / med(results.llmgw, 'seconds'), 0) },
      ratioRow(`llmgw / bare requests per second (${params.requests} requests)`, paired(results.llmgw, results.bare, (a, b) => rate(a) / rate(b)), 0.8, '≥', paired(results.llmgw, results.bare, (a, b) => b.cpuSeconds / a.cpuSeconds)),
      { metric: 'overhead per request, wall ms (Δ time / requests)', value: fmt(paired(results.llmgw, results.bare, (a, b) => ((a.seconds - b.seconds) / a.requests) * 1000)?.median, 3) },
      { metric: 'overhead per request, CPU ms', value: fmt(paired(results.llmgw, results.bare, (a, b) => ((a.cpuSeconds - b.cpuSeconds) / a.requests) * 1000)?.median, 3) },
    ];
  },
};
