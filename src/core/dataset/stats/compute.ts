import type { BaseModel } from '../../models/catalog.js';
import { billedExampleTokens, estimateBilling, type BillingEstimate } from '../../models/pricing.js';
import type { LineCounts, LineInput } from '../../tokens/batch.js';
import type { EncodingName } from '../../tokens/encodings.js';
import type { TokenPool } from '../../tokens/pool.js';
import { CountCollector } from '../../tokens/stats.js';
import { DuplicateTracker } from '../duplicates.js';
import { CheckFailedError } from '../../errors.js';
import { interrupted } from '../convert/interrupt.js';
import type { DatasetInput } from '../input/open.js';
import { detectKind, isObject, type DatasetKind } from '../kinds.js';
import { readLineBatches } from '../lines.js';
import { normalizeExample, TooDeepError } from '../split/normalize.js';
import { histogram, Longest, type HistogramBin } from './histogram.js';
import { argOf, refuseNotJsonl } from '../not-jsonl.js';

export interface StatsOptions {
  model: BaseModel;
  pool: TokenPool;
  epochs?: number;
  pricePerMillion?: number;
  /** How many of the longest examples to list (default 5). */
  top?: number;
  signal?: AbortSignal;
  onProgress?(p: { bytesRead: number; examples: number }): void;
}

export interface StatsReport {
  file: string;
  kind: DatasetKind | null;
  examples: number;
  /** Lines that are not JSON objects of a known kind (see `dataset validate`). */
  unreadableLines: number;
  messages: { total: number; perExample: { min: number; mean: number; max: number } };
  roles: Record<string, number>;
  systemPrompts: { examplesWith: number; share: number; distinct: number };
  duplicates: { count: number; examples: { line: number; duplicateOf: number }[] };
  tokens: {
    encoding: EncodingName;
    total: number;
    trained: number;
    min: number;
    mean: number;
    p50: number;
    p95: number;
    max: number;
    limit: number;
    overLimit: number;
    overLimitLines: number[];
    histogram: HistogramBin[];
  };
  longest: { line: number; tokens: number }[];
  billing: BillingEstimate;
}

const BATCH_CHARS = 256 * 1024;
const MAX_KEPT = 20;

/**
 * One streaming pass: structure figures on this thread, token counts in TOKENS' worker pool
 * (batches of ~256 KB, at most `pool.capacity` in flight, awaited in order). Memory: 4 bytes per
 * example for the distribution plus two hash tables of 12–24 bytes per distinct example or
 * system prompt (duplicates and distinct system prompts are counted by hash, never by text).
 */
export async function computeStats(input: DatasetInput, opts: StatsOptions): Promise<StatsReport> {
  const file = input.name;
  refuseNotJsonl(input);
  const model = opts.model;
  const counts = new CountCollector();
  const longest = new Longest(opts.top ?? 5);
  const dupes = new DuplicateTracker();
  const systems = new DuplicateTracker();
  const inFlight: Promise<LineCounts[]>[] = [];
  let batch: LineInput[] = [];
  let batchChars = 0;
  let kind: DatasetKind | null = null;
  let msgMin = Infinity;
  let msgMax = 0;
  const r: StatsReport = {
    file,
    kind: null,
    examples: 0,
    unreadableLines: 0,
    messages: { total: 0, perExample: { min: 0, mean: 0, max: 0 } },
    roles: {},
    systemPrompts: { examplesWith: 0, share: 0, distinct: 0 },
    duplicates: { count: 0, examples: [] },
    tokens: { encoding: model.encoding, total: 0, trained: 0, min: 0, mean: 0, p50: 0, p95: 0, max: 0, limit: model.maxExampleTokens, overLimit: 0, overLimitLines: [], histogram: [] },
    longest: [],
    billing: estimateBilling({ model, examples: 0, billedTokensPerEpoch: 0 }),
  };
  let billed = 0;

  const take = (results: LineCounts[]): void => {
    for (const c of results) {
      if (c.error !== undefined) continue;
      counts.push(c.total);
      r.tokens.total += c.total;
      r.tokens.trained += c.trained;
      billed += billedExampleTokens(model, c.total);
      longest.offer(c.line, c.total);
      if (c.total > model.maxExampleTokens) {
        r.tokens.overLimit++;
        if (r.tokens.overLimitLines.length < MAX_KEPT) r.tokens.overLimitLines.push(c.line);
      }
    }
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0 || kind === null) return;
    while (inFlight.length >= opts.pool.capacity) take(await (inFlight.shift() as Promise<LineCounts[]>));
    const pending = opts.pool.count(kind, model.encoding, batch);
    pending.catch(() => undefined); // awaited in order below
    inFlight.push(pending);
    batch = [];
    batchChars = 0;
  };

  try {
    for await (const b of readLineBatches(input.path !== null && !input.gzip ? input.path : input.chunks(), { signal: opts.signal })) {
      for (const l of b.lines) {
        if (l.blank) continue;
        let value: unknown;
        try {
          value = l.text === null || l.invalidUtf8 ? undefined : JSON.parse(l.text);
        } catch {
          value = undefined;
        }
        const k = detectKind(value);
        if (!isObject(value) || k === 'unknown' || (kind !== null && k !== kind)) {
          r.unreadableLines++;
          continue;
        }
        let normalized: string;
        try {
          normalized = normalizeExample(value);
        } catch (err) {
          if (!(err instanceof TooDeepError)) throw err;
          r.unreadableLines++;
          continue;
        }
        kind ??= k;
        r.examples++;
        const first = dupes.seen(Buffer.from(normalized), l.line);
        if (first !== 0) {
          r.duplicates.count++;
          if (r.duplicates.examples.length < MAX_KEPT) r.duplicates.examples.push({ line: l.line, duplicateOf: first });
        }
        const msgs = messagesOf(value, k);
        r.messages.total += msgs.length;
        msgMin = Math.min(msgMin, msgs.length);
        msgMax = Math.max(msgMax, msgs.length);
        const system = tallyRoles(msgs, r.roles);
        if (system !== undefined) {
          r.systemPrompts.examplesWith++;
          systems.seen(Buffer.from(system), l.line);
        }
        batch.push({ line: l.line, text: l.text as string });
        batchChars += (l.text as string).length;
        if (batchChars >= BATCH_CHARS) await flush();
      }
      opts.onProgress?.({ bytesRead: input.storedBytesRead(b.bytesRead), examples: r.examples });
    }
    await flush();
    while (inFlight.length > 0) take(await (inFlight.shift() as Promise<LineCounts[]>));
  } catch (err) {
    throw interrupted(err, opts.signal, 'no figures were computed');
  }
  if (r.examples === 0) {
    const what = r.unreadableLines === 0 ? 'it has no lines' : `none of its ${r.unreadableLines} line${r.unreadableLines === 1 ? ' is' : 's are'} a readable chat, preference or prompt/completion example`;
    throw new CheckFailedError('no_examples', `${file} has no example to describe: ${what}`, { hint: `run \`llmgw dataset validate ${argOf(input)}\` to see why (or \`llmgw dataset convert\` for other formats)` });
  }
  const s = counts.summarize();
  r.kind = kind;
  r.messages.perExample = { min: r.examples === 0 ? 0 : msgMin, mean: round(r.examples === 0 ? 0 : r.messages.total / r.examples), max: msgMax };
  r.systemPrompts.share = round(r.examples === 0 ? 0 : r.systemPrompts.examplesWith / r.examples, 3);
  r.systemPrompts.distinct = systems.size;
  Object.assign(r.tokens, { min: s.min, mean: round(s.mean), p50: s.p50, p95: s.p95, max: s.max, histogram: histogram(counts.values()) });
  r.longest = longest.items;
  r.billing = estimateBilling({ model, examples: r.examples, billedTokensPerEpoch: billed, epochs: opts.epochs, pricePerMillion: opts.pricePerMillion });
  return r;
}

function messagesOf(value: Record<string, unknown>, kind: DatasetKind): unknown[] {
  if (kind === 'chat') return Array.isArray(value.messages) ? value.messages : [];
  if (kind === 'preference') {
    const input = isObject(value.input) && Array.isArray(value.input.messages) ? value.input.messages : [];
    const outs = [value.preferred_output, value.non_preferred_output].flatMap((o) => (Array.isArray(o) ? o : []));
    return [...input, ...outs];
  }
  return [{ role: 'prompt' }, { role: 'completion' }];
}

/** Counts each message's role; returns the example's system prompt text (all of them joined), if any. */
function tallyRoles(msgs: unknown[], roles: Record<string, number>): string | undefined {
  let system: string | undefined;
  for (const m of msgs) {
    const role = isObject(m) && typeof m.role === 'string' ? m.role : '(none)';
    roles[role] = (roles[role] ?? 0) + 1;
    if ((role === 'system' || role === 'developer') && isObject(m)) system = (system ?? '') + JSON.stringify(m.content);
  }
  return system;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
