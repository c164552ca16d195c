/**
 * Runs every candidate on every example of the sample: answers come from the cache when it has
 * them, otherwise from the provider through its limiter (bounded concurrency, `Retry-After`),
 * and are appended to the cache as they arrive. Each answer is scored by every scorer.
 * - A rejected or missing key, or a model the provider (or the gateway) does not have, stops the
 *   whole run at once.
 * - Other failures are counted per candidate; a candidate failing at least half of its first
 *   `breakerMin`+ attempts stops the run (the provider is down or refusing, and paying for the
 *   rest would waste money).
 * - Aborting the signal (Ctrl-C) stops sending; what came back is already cached.
 */
import { ConfigError, InterruptedError, isLlmgwError, ProviderError, UsageError, type LlmgwError } from '../errors.js';
import type { InferenceClient, InferenceRequest, InferenceResponse } from '../inference/types.js';
import { requestKey, type ResponseCache } from './cache.js';
import type { Candidate } from './candidates.js';
import type { EvalExample } from './dataset.js';
import type { Limiter } from './limiter.js';
import { CandidateRecord } from './record.js';
import type { Scorer } from './scorers/index.js';

export interface RequestOptions {
  temperature?: number | undefined;
  maxTokens?: number | undefined;
}

export interface Progress {
  done: number;
  total: number;
  fromCache: number;
  sent: number;
  failed: number;
}

export interface RunInput {
  examples: AsyncIterable<EvalExample>;
  /** Examples the iterable yields (for progress). */
  total: number;
  candidates: readonly Candidate[];
  scorers: readonly Scorer[];
  cache: ResponseCache;
  /** The limiter of each candidate's provider (by provider name). */
  limiterFor(provider: string): Limiter;
  request?: RequestOptions | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
  /** Worst examples kept per candidate for the report. */
  worst?: number | undefined;
  /** Attempts before the failure breaker may trip (default 8). */
  breakerMin?: number | undefined;
}

export interface RunOutput {
  /** Examples run, in order; index i of every record is lines[i]. */
  lines: number[];
  records: CandidateRecord[];
}

/** The request sent for an example: its prompt and tools, with the run's sampling options. */
export function buildRequest(ex: EvalExample, opts: RequestOptions = {}): InferenceRequest {
  return { ...ex.request, ...(opts.temperature !== undefined && { temperature: opts.temperature }), ...(opts.maxTokens !== undefined && { maxTokens: opts.maxTokens }) };
}

/** Asks a client through the cache and its limiter: what every candidate answer and judge verdict goes through. */
export async function cachedAnswer(client: InferenceClient, request: InferenceRequest, cache: ResponseCache, limiter: Limiter, signal: AbortSignal | undefined): Promise<{ answer: InferenceResponse; cached: boolean }> {
  const key = requestKey(client.endpoint, client.model, request);
  const hit = await cache.get(key);
  if (hit) return { answer: hit, cached: true };
  const release = await limiter.acquire(signal);
  try {
    const answer = await client.complete(request, { signal });
    await cache.put(key, answer);
    return { answer, cached: false };
  } finally {
    release();
  }
}

/** Errors that make every further request pointless: credentials, or a model that does not exist. */
function fatal(err: unknown, c: Candidate): LlmgwError | undefined {
  if (err instanceof ConfigError) return err;
  // The gateway at --via does not serve the model: every request would fail the same way.
  if (isLlmgwError(err) && err.code === 'gateway_model_not_found') return err;
  if (isLlmgwError(err) && err.code === 'provider_not_found') {
    return new UsageError('candidate_not_found', `${c.provider} has no model "${c.model}" (candidate ${c.name}): ${err.message}`, {
      hint: 'check the model id (and, for a fine-tune, that it belongs to this key\'s organization), or drop the candidate',
    });
  }
  return undefined;
}

export async function runEval(input: RunInput): Promise<RunOutput> {
  const { candidates, scorers, cache } = input;
  const inner = new AbortController();
  const onOuterAbort = (): void => inner.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const signal = inner.signal;
  const records = candidates.map((c) => new CandidateRecord(c, scorers.map((s) => s.name), input.worst ?? 5));
  const lines: number[] = [];
  const progress: Progress = { done: 0, total: input.total * candidates.length, fromCache: 0, sent: 0, failed: 0 };
  const breakerMin = input.breakerMin ?? 8;
  let stop: LlmgwError | undefined;
  const halt = (err: LlmgwError): void => {
    stop ??= err;
    inner.abort(err);
  };

  const task = async (index: number, ex: EvalExample, rec: CandidateRecord): Promise<void> => {
    const c = rec.candidate;
    try {
      const request = buildRequest(ex, input.request);
      const { answer, cached } = await cachedAnswer(c.client, request, cache, input.limiterFor(c.provider), signal);
      const values = [];
      for (const s of scorers) values.push({ name: s.name, keep: s.keepDetails, ...(await s.score(ex, answer, { signal })) });
      rec.ok(index, ex, answer, values, cached);
      if (cached) progress.fromCache++;
      else progress.sent++;
    } catch (err) {
      if (signal.aborted) return; // interrupted, or another task stopped the run: nothing to count
      const f = fatal(err, c);
      if (f) return halt(f);
      rec.fail(index, ex, isLlmgwError(err) || err instanceof Error ? err.message : String(err));
      progress.failed++;
    } finally {
      if (!signal.aborted && rec.failed > 0 && rec.attempts >= breakerMin && rec.failed * 2 >= rec.attempts) halt(failingProvider(rec));
      progress.done++;
      input.onProgress?.({ ...progress });
    }
  };

  const cap = Math.max(1, ...candidates.map((c) => input.limiterFor(c.provider).capacity)) * new Set(candidates.map((c) => c.provider)).size;
  const inflight = new Set<Promise<void>>();
  try {
    let index = 0;
    for await (const ex of input.examples) {
      if (signal.aborted) break;
      lines.push(ex.line);
      for (const rec of records) {
        const p: Promise<void> = task(index, ex, rec).finally(() => inflight.delete(p));
        inflight.add(p);
        while (inflight.size >= cap) await Promise.race(inflight);
      }
      index++;
    }
  } finally {
    await Promise.all(inflight);
    input.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (stop) throw stop;
  if (input.signal?.aborted) {
    throw new InterruptedError('eval_interrupted', `Stopped after ${progress.done} of ${progress.total} answers; the ${progress.fromCache + progress.sent} that came back are saved.`, {
      hint: 'run the same command again: it takes the saved answers from the cache and asks only for the rest',
    });
  }
  return { lines, records };
}

function failingProvider(rec: CandidateRecord): ProviderError {
  const c = rec.candidate;
  const last = rec.errors[rec.errors.length - 1];
  return new ProviderError('candidate_failing', `${c.name} failed ${rec.failed} of its ${rec.attempts} requests to ${c.provider}, so llmgw stopped the eval${last ? ` (line ${last.line}: ${last.message})` : ''}.`, {
    provider: c.provider,
    retryable: true,
    hint: 'the answers that came back are cached; fix the cause (or wait for the provider) and run the same command again: only the missing answers are requested',
  });
}
