/** A temp folder with a held-out file, a chat fake and candidates pointed at it, for the eval core tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseCache } from '../../../src/core/eval/cache.js';
import type { Candidate } from '../../../src/core/eval/candidates.js';
import { Limiter } from '../../../src/core/eval/limiter.js';
import { tablePrice } from '../../../src/core/eval/prices.js';
import { runEval, type RunInput } from '../../../src/core/eval/run.js';
import { sampledExamples, scanData } from '../../../src/core/eval/sample.js';
import { buildScorers, parseScorerNames } from '../../../src/core/eval/scorers/index.js';
import { limitedFetch } from '../../../src/core/eval/limiter.js';
import { inferenceFactory } from '../../../src/core/inference/registry.js';
import { startChatUpstream, type ChatUpstream, type ChatUpstreamOptions } from '../../fakes/openai/chat.js';

export const KEY = 'sk-test-eval-0123456789abcdef';

/** `n` questions "q1".."qn" with references "a1".."an". */
export function qa(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: `q${i + 1}` }, { role: 'assistant', content: `a${i + 1}` }] }));
}

export interface EvalWorld {
  dir: string;
  data: string;
  upstream: ChatUpstream;
  limiter: Limiter;
  candidate(model: string, opts?: { key?: string; maxRetries?: number }): Promise<Candidate>;
  run(candidates: Candidate[], extra?: Partial<RunInput> & { score?: string; limit?: number; seed?: number }): ReturnType<typeof runEval>;
  close(): Promise<void>;
}

export async function evalWorld(lines: Record<string, unknown>[], upstreamOpts: ChatUpstreamOptions = {}): Promise<EvalWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-eval-'));
  const data = join(dir, 'held.jsonl');
  writeFileSync(data, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const upstream = await startChatUpstream({ apiKey: KEY, ...upstreamOpts });
  const limiter = new Limiter({ concurrency: 4 });
  const factory = await inferenceFactory('openai');
  return {
    dir,
    data,
    upstream,
    limiter,
    async candidate(model, opts = {}) {
      const client = factory.create(model, { apiKey: opts.key ?? KEY, baseUrl: upstream.baseURL, maxRetries: opts.maxRetries ?? 2, fetch: limitedFetch(globalThis.fetch, limiter) });
      return { name: `openai:${model}`, provider: 'openai', model, source: 'provider', client, price: tablePrice(model) };
    },
    async run(candidates, extra = {}) {
      const scan = await scanData(data, { limit: extra.limit, seed: extra.seed });
      const cache = await ResponseCache.open(join(dir, '.llmgw', 'eval-cache.jsonl'));
      try {
        return await runEval({
          examples: sampledExamples(data, scan),
          total: scan.total,
          candidates,
          scorers: buildScorers(parseScorerNames([extra.score ?? 'exact']), {}),
          cache,
          limiterFor: () => limiter,
          ...extra,
        });
      } finally {
        await cache.close();
      }
    },
    async close() {
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
