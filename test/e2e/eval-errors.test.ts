/**
 * `llmgw eval` given bad input, run as the built CLI: each fault is one message (what, why, the
 * fix) on stderr with no stack, the documented exit code, and under `--json` an error document
 * on stdout. A provider failing half the requests stops the run with the counts, and the re-run
 * pays only for what did not come back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/eval/report.js';
import { spawnLlmgw } from '../cli/models-helpers.js';
import { startChatUpstream, type ChatUpstream } from '../fakes/openai/chat.js';

const KEY = 'sk-test-eval-errors-0123456789';
const STABLE = 'ft:gpt-4.1-mini-2025-04-14:acme:support:St4bLe01';
let up: ChatUpstream;
let dir: string;

const example = (i: number) => ({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] });
const lines = (rows: unknown[]) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

beforeAll(async () => {
  // "flaky" refuses q2, q4, q6 and q8 once (HTTP 500), then answers them.
  const flaky = Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`q${k + 1}`, (k + 1) % 2 === 0 && k < 8 ? [{ status: 500, message: 'The server had an error while processing your request.' }, { text: `a${k + 1}` }] : { text: `a${k + 1}` }]));
  up = await startChatUpstream({ apiKey: KEY, models: ['good', 'flaky', STABLE], table: { flaky } });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-eval-errors-'));
  writeFileSync(join(dir, 'held.jsonl'), lines(Array.from({ length: 10 }, (_, i) => example(i + 1))));
});

afterAll(async () => {
  await up?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: up.baseURL, HOME: dir, ...extra });

interface ErrorDoc {
  error: { code: string; message: string; hint: string | null; exitCode: number };
}

/** Runs with --json; checks the error document, and that stderr says it once without a stack. */
async function fails(args: string[], extra: Record<string, string> = {}): Promise<ErrorDoc['error'] & { stderr: string }> {
  const r = await spawnLlmgw(['--json', ...args], dir, env(extra)).done;
  const doc = JSON.parse(r.stdout) as ErrorDoc;
  expect(doc.error.exitCode).toBe(r.code);
  expect(doc.error.hint, doc.error.message).toBeTruthy();
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return { ...doc.error, stderr: r.stderr };
}

describe('llmgw eval on bad input (built CLI)', () => {
  it('a dataset with no assistant turn to compare: exit 2, naming the lines', async () => {
    writeFileSync(join(dir, 'noref.jsonl'), lines([{ messages: [{ role: 'user', content: 'hi' }] }, { messages: [{ role: 'assistant', content: 'hello' }] }, '{oops']));
    const e = await fails(['eval', '--data', 'noref.jsonl', 'openai:good']);
    expect(e).toMatchObject({ code: 'no_reference_turns', exitCode: 2 });
    expect(e.message).toContain('noref.jsonl has no example with an assistant turn to compare answers with (line 1: no assistant turn');
  });

  it('a candidate that does not exist: an unknown name, and a model the provider does not have (exit 2)', async () => {
    const unknown = await fails(['eval', '--data', 'held.jsonl', 'nosuch-alias']);
    expect(unknown).toMatchObject({ code: 'unknown_candidate', exitCode: 2 });
    expect(unknown.message).toContain('"nosuch-alias" is not an alias, a registered model, or provider:model');
    const before = up.models.length;
    const missing = await fails(['eval', '--data', 'held.jsonl', 'openai:gpt-9-nonexistent', '--concurrency', '1']);
    expect(missing).toMatchObject({ code: 'candidate_not_found', exitCode: 2 });
    expect(missing.message).toContain('openai has no model "gpt-9-nonexistent"');
    expect(up.models.length - before).toBe(1); // stopped at the first answer
  });

  it('a provider without credentials: a missing key, and an AWS chain that finds none (exit 3)', async () => {
    const noKey = await fails(['eval', '--data', 'held.jsonl', 'openai:good'], { OPENAI_API_KEY: '' });
    expect(noKey).toMatchObject({ code: 'missing_api_key', exitCode: 3 });
    expect(noKey.hint).toContain('OPENAI_API_KEY');
    const aws = await fails(['eval', '--data', 'held.jsonl', 'bedrock:amazon.nova-micro-v1:0'], { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' });
    expect(aws).toMatchObject({ code: 'missing_credentials', exitCode: 3 });
    expect(aws.message).toContain('Amazon Bedrock has no AWS credentials to use');
  });

  it('a judge rubric that is not valid: exit 2, naming the file and the field', async () => {
    writeFileSync(join(dir, 'rubric.yaml'), 'criteria: Gives the order status.\nscale: 1-10\n');
    const e = await fails(['eval', '--data', 'held.jsonl', 'openai:good', '--score', 'judge', '--judge', 'openai:good', '--rubric', 'rubric.yaml']);
    expect(e).toMatchObject({ code: 'invalid_rubric', exitCode: 2, message: 'The judge rubric rubric.yaml is not valid: "scale" must be pass-fail or 1-5.' });
    // The fix is printed on one line (a newline in it would show as \n).
    expect(e.hint).not.toContain('\n');
    expect(e.stderr).not.toContain('\\n');
    writeFileSync(join(dir, 'broken.yaml'), 'criteria: [unclosed\n');
    const broken = await fails(['eval', '--data', 'held.jsonl', 'openai:good', '--score', 'judge', '--judge', 'openai:good', '--rubric', 'broken.yaml']);
    expect(broken).toMatchObject({ code: 'invalid_rubric', exitCode: 2 });
    expect(broken.message).toMatch(/^The judge rubric broken\.yaml is not valid: it is not YAML or JSON \(.*line 2, column 1\)\.$/);
  });

  it('a gate expression that does not parse: exit 2, saying which condition', async () => {
    const reg = await spawnLlmgw(['models', 'register', 'bot', STABLE], dir, env()).done;
    expect(reg.code, reg.stderr).toBe(0);
    const e = await fails(['models', 'promote', 'bot', '--model', STABLE, '--canary', '10', '--gate', 'score>=high,p95<=2s']);
    expect(e).toMatchObject({ exitCode: 2 });
    expect(e.message).toContain('"score>=high" is not METRIC OP NUMBER');
  });

  it('a provider failing half the requests: the run stops with the counts, and the re-run asks only for what did not come back', async () => {
    const before = up.models.length;
    // One at a time, so the run stops at the same place every time: 4 of the first 8 failed.
    const e = await fails(['eval', '--data', 'held.jsonl', 'openai:flaky', '--score', 'exact', '--max-retries', '0', '--concurrency', '1']);
    expect(e).toMatchObject({ code: 'candidate_failing', exitCode: 4 });
    expect(e.message).toContain('openai:flaky failed 4 of its 8 requests to openai, so llmgw stopped the eval (line 8:');
    expect(e.hint).toContain('only the missing answers are requested');
    expect(up.models.length - before).toBe(8);

    const again = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'openai:flaky', '--score', 'exact', '--max-retries', '0', '--concurrency', '1'], dir, env()).done;
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as EvalReport;
    // The 4 answers that came back are cached; the 4 that failed and the 2 never asked are sent.
    expect(report.candidates[0]).toMatchObject({ requests: { total: 10, fromCache: 4, sent: 6, failed: 0 }, score: { mean: 1 } });
    expect(up.models.length - before).toBe(14);
  });

  it('scattered failures: the report says how many failed (exit 4), and the re-run pays only for those', async () => {
    writeFileSync(join(dir, 'six.jsonl'), lines([11, 12, 13, 14, 15, 16].map(example)));
    // Fewer than the 8 attempts the breaker waits for: the run finishes and reports the failures.
    const table = { q12: [{ status: 500 }, { text: 'a12' }], q14: [{ status: 500 }, { text: 'a14' }] };
    const flaky2 = await startChatUpstream({ apiKey: KEY, table: { good: table } });
    try {
      const first = await spawnLlmgw(['--json', 'eval', '--data', 'six.jsonl', 'openai:good', '--score', 'exact', '--max-retries', '0'], dir, env({ OPENAI_BASE_URL: flaky2.baseURL })).done;
      expect(first.code).toBe(4);
      const report = JSON.parse(first.stdout) as EvalReport;
      expect(report.candidates[0]?.requests).toMatchObject({ total: 6, sent: 4, failed: 2, errors: expect.arrayContaining([expect.objectContaining({ line: 2 }), expect.objectContaining({ line: 4 })]) });
      expect(first.stderr).toContain('2 request(s) failed after retries; the scores cover the answers that came back. Run the same command again to ask only for the missing ones.');
      const second = await spawnLlmgw(['--json', 'eval', '--data', 'six.jsonl', 'openai:good', '--score', 'exact', '--max-retries', '0'], dir, env({ OPENAI_BASE_URL: flaky2.baseURL })).done;
      expect(second.code, second.stderr).toBe(0);
      expect((JSON.parse(second.stdout) as EvalReport).candidates[0]?.requests).toMatchObject({ fromCache: 4, sent: 2, failed: 0 });
      expect(flaky2.models).toHaveLength(8);
    } finally {
      await flaky2.close();
    }
  });
});
