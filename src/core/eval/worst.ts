/**
 * The worst examples of each candidate, with every candidate's answer on them side by side: the
 * lines are read again from the file (only those), the answers from the cache.
 */
import { requestKey, type ResponseCache } from './cache.js';
import { contentText, readExamples } from './dataset.js';
import type { CandidateRecord } from './record.js';
import type { WorstExample } from './report.js';
import { buildRequest, type RequestOptions } from './run.js';

const MAX_CHARS = 2000;
const cut = (s: string): string => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS)}…` : s);

export async function worstExamples(path: string, lines: readonly number[], records: readonly CandidateRecord[], cache: ResponseCache, opts: RequestOptions): Promise<Record<string, WorstExample[]>> {
  const wanted = new Set(records.flatMap((r) => r.worst.map((w) => w.line)));
  const byLine = new Map<number, WorstExample>();
  if (wanted.size > 0) {
    const indexOf = new Map(lines.map((line, i) => [line, i]));
    for await (const ex of readExamples(path)) {
      if (!wanted.has(ex.line)) continue;
      const request = buildRequest(ex, opts);
      const lastUser = [...ex.request.messages].reverse().find((m) => m.role === 'user');
      const answers: WorstExample['answers'] = {};
      for (const r of records) {
        const c = r.candidate;
        const a = await cache.get(requestKey(c.client.endpoint, c.client.model, request));
        const score = r.overall[indexOf.get(ex.line) ?? -1];
        const calls = a?.toolCalls.length ? `\n[tool calls: ${a.toolCalls.map((t) => `${t.name}(${t.arguments})`).join('; ')}]` : '';
        answers[c.name] = a ? { text: cut(`${a.text}${calls}`), score: score !== undefined && Number.isFinite(score) ? score : null } : null;
      }
      const refCalls = ex.reference.toolCalls.length ? `\n[tool calls: ${ex.reference.toolCalls.map((t) => `${t.name}(${t.arguments})`).join('; ')}]` : '';
      byLine.set(ex.line, { line: ex.line, prompt: cut(contentText(lastUser?.content)), reference: cut(`${ex.reference.text}${refCalls}`), answers });
      if (byLine.size === wanted.size) break;
    }
  }
  return Object.fromEntries(records.map((r) => [r.candidate.name, r.worst.map((w) => byLine.get(w.line)).filter((x): x is WorstExample => x !== undefined)]));
}
