/**
 * The Bedrock inference client over `@aws-sdk/client-bedrock-runtime` against the runtime fake:
 * `ConverseStream` (event-stream framing) by default, `Converse` with streaming off, and the
 * throttling exception Bedrock can send inside a stream that already answered 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLlmgwError } from '../../../src/core/errors.js';
import { inference } from '../../../src/core/providers/bedrock/inference.js';
import type { InferenceSettings } from '../../../src/core/inference/types.js';
import { startBedrockFake, type BedrockFake } from '../../fakes/bedrock-runtime/server.js';

const NOVA = 'amazon.nova-micro-v1:0';
const THROTTLED = { code: 'throttlingException', status: 429, message: 'Too many requests, please wait before trying again.' };
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDSTREAM', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true' };
const saved: Record<string, string | undefined> = {};
let fake: BedrockFake;

beforeAll(async () => {
  // The SDK's default credential chain reads process.env.
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  fake = await startBedrockFake({
    accessKeyId: 'AKIDSTREAM',
    table: {
      [NOVA]: {
        hello: { text: 'Hello there', ttftMs: 60, usage: { input: 12, output: 3 } },
        'order 7?': { text: 'Looking it up.', toolCalls: [{ name: 'get_order', arguments: '{"id": 7, "full": true}' }, { name: 'ping', arguments: '' }], usage: { input: 30, output: 11 } },
        once: [THROTTLED, { text: 'second time lucky' }],
        always: THROTTLED,
      },
    },
  });
});

afterAll(async () => {
  await fake?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function client(settings: Partial<InferenceSettings> = {}) {
  return inference.create(NOVA, { env: ENV, baseUrl: fake.endpoint, maxRetries: 2, ...settings });
}

const ask = (text: string) => ({ messages: [{ role: 'user', content: text }] });

describe('Bedrock ConverseStream', () => {
  it('measures the time to the first delta, joins text and tool input fragments, and reads usage from metadata', async () => {
    const a = await client().complete(ask('hello'));
    expect(fake.requests.at(-1)?.operation).toBe('converse-stream');
    expect(a.text).toBe('Hello there');
    expect(a.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
    expect(a.finishReason).toBe('end_turn');
    expect(a.ttftMs).not.toBeNull();
    expect(a.ttftMs ?? 0).toBeGreaterThanOrEqual(50);
    expect(a.latencyMs).toBeGreaterThanOrEqual(a.ttftMs ?? 0);

    const t = await client().complete(ask('order 7?'));
    expect(t.text).toBe('Looking it up.');
    expect(t.toolCalls).toEqual([{ name: 'get_order', arguments: '{"id": 7, "full": true}' }, { name: 'ping', arguments: '{}' }]);
    expect(t.finishReason).toBe('tool_use');
    expect(t.usage).toEqual({ inputTokens: 30, outputTokens: 11 });
  });

  it('asks Converse for a whole answer when streaming is off (no time to first token)', async () => {
    const a = await client({ stream: false }).complete(ask('hello'));
    expect(fake.requests.at(-1)?.operation).toBe('converse');
    expect(a.text).toBe('Hello there');
    expect(a.ttftMs).toBeNull();
  });

  it('asks again when the stream carries a throttling exception, and says so when it keeps coming', async () => {
    const before = fake.requests.length;
    const a = await client().complete(ask('once'));
    expect(a.text).toBe('second time lucky');
    expect(fake.requests.slice(before).map((r) => r.operation)).toEqual(['converse-stream', 'converse-stream']);

    const start = fake.requests.length;
    const err = await client({ maxRetries: 1 }).complete(ask('always')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(fake.requests.length - start).toBe(2); // the first try and one retry
    expect(isLlmgwError(err) && err.toJSON()).toMatchObject({ code: 'provider_rate_limited', status: 429, retryable: true, providerCode: 'ThrottlingException' });
  });
});
