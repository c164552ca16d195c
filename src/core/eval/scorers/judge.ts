/**
 * `judge`: another model grades each answer against the reference with a rubric file. The
 * rubric (YAML or JSON) holds `criteria` (what a good answer does) and `scale` (`pass-fail` or
 * `1-5`). The judge's prompt, model and every verdict go in the report.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import type { InferenceRequest, InferenceResponse } from '../../inference/types.js';
import { contentText, type EvalExample } from '../dataset.js';
import type { Scorer } from './types.js';

const rubricSchema = z.strictObject({
  name: z.string().min(1).optional(),
  criteria: z.string().trim().min(1, 'must say what a good answer does'),
  scale: z.enum(['pass-fail', '1-5'], { error: 'must be pass-fail or 1-5' }).default('pass-fail'),
});

export type Rubric = z.output<typeof rubricSchema>;

/** Reads and checks a rubric file; anything wrong is one usage error naming the file and the field. */
export async function loadRubric(path: string, shown = path): Promise<Rubric> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError('rubric_not_found', `Cannot read the judge rubric ${shown}: there is no such file.`, { hint: 'pass a YAML file with `criteria:` (and optionally `scale: pass-fail` or `scale: 1-5`) to --rubric' });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw invalid(shown, `it is not YAML or JSON (${((err as Error).message.split('\n')[0] ?? '').replace(/[:\s]+$/, '')})`);
  }
  const parsed = rubricSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the file';
    throw invalid(shown, `${where} ${issue?.message ?? 'is not a rubric'}`);
  }
  return parsed.data;
}

function invalid(path: string, why: string): UsageError {
  return new UsageError('invalid_rubric', `The judge rubric ${path} is not valid: ${why}.`, {
    // One line: hints are printed on one line, a newline shown escaped.
    hint: 'write it as YAML with `criteria:` (what a good answer does, e.g. "criteria: The answer gives the order status the reference gives, without inventing details.") and optionally `scale: pass-fail` or `scale: 1-5`',
  });
}

export function judgeSystemPrompt(rubric: Rubric): string {
  const scale = rubric.scale === 'pass-fail' ? '"pass" or "fail"' : 'an integer from 1 (worst) to 5 (best)';
  return [
    'You grade an assistant\'s answer to a conversation against a reference answer.',
    `Criteria:\n${rubric.criteria.trim()}`,
    `Reply with JSON only: {"verdict": ${scale}, "reason": "<one sentence>"}.`,
  ].join('\n\n');
}

function render(ex: EvalExample, answer: InferenceResponse): string {
  const turns = ex.request.messages.map((m) => `${m.role}: ${contentText(m.content)}${m.tool_calls?.length ? ` [calls ${m.tool_calls.map((t) => t.function.name).join(', ')}]` : ''}`);
  const calls = (c: { name: string; arguments: string }[]) => (c.length ? `\n[tool calls: ${c.map((t) => `${t.name}(${t.arguments})`).join('; ')}]` : '');
  return `## Conversation\n${turns.join('\n')}\n\n## Reference answer\n${ex.reference.text}${calls(ex.reference.toolCalls)}\n\n## Answer to grade\n${answer.text}${calls(answer.toolCalls)}`;
}

/** The judge's verdict as a score, or an error when it gave none (the example then counts as failed). */
export function readVerdict(text: string, scale: Rubric['scale']): { value: number; detail: string } {
  const m = /\{[\s\S]*\}/.exec(text);
  let v: { verdict?: unknown; reason?: unknown } = {};
  try {
    v = JSON.parse(m?.[0] ?? text) as typeof v;
  } catch {
    throw new Error(`the judge gave no JSON verdict: "${text.slice(0, 120)}"`);
  }
  const reason = typeof v.reason === 'string' ? v.reason : '';
  if (scale === 'pass-fail') {
    const word = String(v.verdict).toLowerCase();
    if (word !== 'pass' && word !== 'fail') throw new Error(`the judge's verdict "${String(v.verdict)}" is not pass or fail`);
    return { value: word === 'pass' ? 1 : 0, detail: `${word}: ${reason}` };
  }
  const n = Number(v.verdict);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new Error(`the judge's verdict "${String(v.verdict)}" is not 1 to 5`);
  return { value: (n - 1) / 4, detail: `${n}/5: ${reason}` };
}

export type Ask = (request: InferenceRequest, signal: AbortSignal | undefined) => Promise<InferenceResponse>;

export function judgeScorer(rubric: Rubric, judgeModel: string, ask: Ask): Scorer {
  const system = judgeSystemPrompt(rubric);
  return {
    name: 'judge',
    measures: `${judgeModel} judges the answer against the reference with the rubric${rubric.name ? ` "${rubric.name}"` : ''} (${rubric.scale})`,
    cannot: 'be more reliable than the judge model: it shares that model\'s blind spots and biases (length, style, its own wording); check a sample of verdicts by hand',
    keepDetails: true,
    async score(ex, answer, opts) {
      const request: InferenceRequest = { messages: [{ role: 'system', content: system }, { role: 'user', content: render(ex, answer) }], temperature: 0, responseFormat: { type: 'json_object' } };
      const reply = await ask(request, opts.signal);
      return readVerdict(reply.text, rubric.scale);
    },
  };
}
