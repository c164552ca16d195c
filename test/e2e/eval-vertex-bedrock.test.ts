/**
 * Gemini `generateContent` (through `@google/genai`) and Bedrock `ConverseStream` (through
 * `@aws-sdk/client-bedrock-runtime`) side by side in one eval, run by the built CLI against the
 * Vertex and Bedrock runtime fakes: the endpoints come from GOOGLE_VERTEX_BASE_URL and
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME, the credentials from an express-mode key and the AWS chain.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/eval/report.js';
import { spawnLlmgw } from '../cli/models-helpers.js';
import { startBedrockFake, type BedrockFake } from '../fakes/bedrock-runtime/server.js';
import { startGeminiFake, type GeminiFake } from '../fakes/gemini-chat/server.js';

const ENDPOINT = 'projects/p1/locations/us-central1/endpoints/789';
const NOVA = 'amazon.nova-micro-v1:0';
const TOOLS = [{ type: 'function', function: { name: 'get_order', description: 'Look an order up', parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } } }];
let gemini: GeminiFake;
let bedrock: BedrockFake;
let dir: string;

beforeAll(async () => {
  gemini = await startGeminiFake({
    apiKey: 'g-test-key',
    table: {
      'gemini-2.5-flash': { q1: { text: 'a1', ttftMs: 5 }, q2: { text: 'a2' }, q3: { text: 'nope' }, 'where is order 7?': { toolCalls: [{ name: 'get_order', arguments: '{"id":7}' }] } },
      [ENDPOINT]: { '*': { text: 'a1', usage: { input: 50, output: 3 } } },
    },
  });
  bedrock = await startBedrockFake({
    accessKeyId: 'AKIDTESTEVAL',
    models: [NOVA],
    table: {
      [NOVA]: {
        q1: { text: 'a1', ttftMs: 40 },
        q2: { text: 'wrong' },
        q3: { text: 'a3' },
        'where is order 7?': { toolCalls: [{ name: 'get_order', arguments: '{"id": 7}' }], usage: { input: 40, output: 9 } },
        // Throttled inside the stream (after the 200), then answered.
        q5: [{ code: 'throttlingException', status: 429, message: 'Too many requests, please wait before trying again.' }, { text: 'a5' }],
        q6: { text: 'a6' },
      },
    },
  });
  dir = mkdtempSync(join(tmpdir(), 'llmgw-e2e-eval-cloud-'));
  const lines = [1, 2, 3].map((i) => ({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] }));
  lines.push({ messages: [{ role: 'user', content: 'where is order 7?' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_order', arguments: '{"id":7}' } }] }], tools: TOOLS } as never);
  writeFileSync(join(dir, 'held.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
});

afterAll(async () => {
  await gemini?.close();
  await bedrock?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cloudEnv = () => ({
  HOME: dir,
  GOOGLE_VERTEX_BASE_URL: gemini.baseUrl,
  GOOGLE_API_KEY: 'g-test-key',
  GOOGLE_CLOUD_PROJECT: 'p1',
  GOOGLE_CLOUD_LOCATION: 'us-central1',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDTESTEVAL',
  AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
  AWS_PROFILE: '',
  AWS_EC2_METADATA_DISABLED: 'true',
});

describe('llmgw eval on Vertex and Bedrock', () => {
  it('maps chat examples (system turn, tools) to generateContent and Converse and scores both', async () => {
    const r = await spawnLlmgw(['--json', 'eval', '--data', 'held.jsonl', 'vertex:gemini-2.5-flash', `bedrock:${NOVA}`, `vertex:${ENDPOINT}`, '--score', 'exact,tool-call'], dir, cloudEnv()).done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as EvalReport;
    const [flash, nova, tuned] = report.candidates;
    // exact and tool-call per example, averaged: q1 (1, 1), q2 (1, 1), q3 (0, 1), tool (1, 1) → 7/8.
    expect(flash).toMatchObject({ provider: 'vertex', scores: { exact: { mean: 0.75 }, 'tool-call': { mean: 1 } }, score: { mean: 0.875 } });
    expect(flash?.latencyMs.ttft.n).toBe(4); // streamed
    expect(nova).toMatchObject({ provider: 'bedrock', scores: { exact: { mean: 0.75 }, 'tool-call': { mean: 1 } }, tokens: { input: 70, output: 24 } });
    expect(nova?.latencyMs.ttft.n).toBe(4); // ConverseStream: timed to the first delta
    expect(nova?.latencyMs.ttft.p95 ?? 0).toBeGreaterThanOrEqual(30);
    expect(new Set(bedrock.requests.map((q) => q.operation))).toEqual(new Set(['converse-stream']));
    expect(tuned?.scores.exact?.mean).toBe(0.25);

    const q1 = gemini.requests.find((q) => q.path.includes('gemini-2.5-flash') && JSON.stringify(q.body).includes('q1'));
    expect(q1?.path).toBe('/v1/projects/p1/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent');
    expect(q1?.body).toMatchObject({ contents: [{ role: 'user', parts: [{ text: 'q1' }] }], systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    expect(q1?.apiKey).toBe('g-test-key');
    expect(gemini.requests.some((q) => q.path === `/v1/${ENDPOINT}:streamGenerateContent`)).toBe(true);
    const tool = bedrock.requests.find((q) => JSON.stringify(q.body).includes('order 7'));
    expect(tool?.body).toMatchObject({ toolConfig: { tools: [{ toolSpec: { name: 'get_order', inputSchema: { json: TOOLS[0]?.function.parameters } } }] } });
    expect(bedrock.requests.find((q) => JSON.stringify(q.body).includes('q1'))?.body).toMatchObject({ system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'q1' }] }] });
  });

  it('asks a throttled Bedrock stream again, and asks Converse for whole answers under --no-stream', async () => {
    writeFileSync(join(dir, 'more.jsonl'), ['q5', 'q6'].map((q) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: q.replace('q', 'a') }] })).join('\n') + '\n');
    const r = await spawnLlmgw(['--json', 'eval', '--data', 'more.jsonl', `bedrock:${NOVA}`, '--score', 'exact', '--no-save'], dir, cloudEnv()).done;
    expect(r.code, r.stderr).toBe(0);
    const nova = (JSON.parse(r.stdout) as EvalReport).candidates[0];
    expect(nova).toMatchObject({ requests: { failed: 0, sent: 2 }, scores: { exact: { mean: 1 } } });
    expect(nova?.latencyMs.ttft.n).toBe(2);
    const q5 = bedrock.requests.filter((q) => JSON.stringify(q.body).includes('"q5"'));
    expect(q5.map((q) => q.operation)).toEqual(['converse-stream', 'converse-stream']);

    writeFileSync(join(dir, 'whole.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'q1 again' }, { role: 'assistant', content: 'ok' }] })}\n`);
    const w = await spawnLlmgw(['--json', 'eval', '--data', 'whole.jsonl', `bedrock:${NOVA}`, '--no-stream', '--no-save'], dir, cloudEnv()).done;
    expect(w.code, w.stderr).toBe(0);
    expect((JSON.parse(w.stdout) as EvalReport).candidates[0]?.latencyMs.ttft.n).toBe(0);
    expect(bedrock.requests.at(-1)?.operation).toBe('converse');
  });

  it('says which credentials are rejected, and which model does not exist', async () => {
    // Answers are cached by request, whoever's key fetched them: ask something new.
    writeFileSync(join(dir, 'new.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'q9' }, { role: 'assistant', content: 'a9' }] })}\n`);
    const noKey = await spawnLlmgw(['eval', '--data', 'new.jsonl', `bedrock:${NOVA}`], dir, { ...cloudEnv(), AWS_ACCESS_KEY_ID: 'AKIDWRONG' }).done;
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toContain('Amazon Bedrock refused the credentials (HTTP 403');
    const gone = await spawnLlmgw(['eval', '--data', 'new.jsonl', 'bedrock:amazon.nova-nano-v9:0'], dir, cloudEnv()).done;
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('bedrock has no model "amazon.nova-nano-v9:0"');
    const badKey = await spawnLlmgw(['eval', '--data', 'new.jsonl', 'vertex:gemini-2.5-flash'], dir, { ...cloudEnv(), GOOGLE_API_KEY: 'wrong' }).done;
    expect(badKey.code).toBe(3);
    expect(badKey.stderr).toContain('Vertex AI rejected the API key (HTTP 401)');
  });
});
