/**
 * `tune start --provider bedrock` in-process: bad input is one message with the fix and
 * the documented exit code before anything is uploaded or created; --register deploys first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { S3_KEY } from '../fakes/bedrock/s3.js';
import type { FakeBedrock } from '../fakes/bedrock/server.js';
import { bedrockWorld, NOVA, ROLE, type BedrockWorld } from '../fakes/bedrock/world.js';
import { memoryIo } from '../helpers/io.js';
import { awsEnv } from '../core/providers/bedrock/helpers.js';

let world: BedrockWorld;
let fake: FakeBedrock;
let dir: string;
beforeAll(async () => {
  world = await bedrockWorld('llmgw-bedrock-cli-');
  ({ fake, dir } = world);
});
afterAll(() => world.close());
beforeEach(() => awsEnv({ accessKeyId: S3_KEY, secretAccessKey: S3_KEY }));
afterEach(() => vi.unstubAllEnvs());

const io = () => memoryIo({ cwd: dir, env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_BEDROCK: fake.url, AWS_ENDPOINT_URL_S3: world.s3.url } });
const start = (...extra: string[]) => ['tune', 'start', '--provider', 'bedrock', '--train', 'train.jsonl', '--bucket', 's3://train-data/llmgw', ...extra];
const creates = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/model-customization-jobs').length;

describe('tune start --provider bedrock (in-process)', () => {
  it('without a role: exit 3, saying what the role needs', async () => {
    const o = io();
    expect(await main(start('--model', NOVA), o)).toBe(3);
    expect(o.err()).toMatch(/--role-arn[\s\S]*iam:PassRole/);
    expect(fake.requests).toHaveLength(0);
  });

  it('a model at end of life in the Region, or a hyperparameter out of its documented range: exit 2, nothing sent', async () => {
    const eol = io();
    expect(await main(start('--model', 'anthropic.claude-3-haiku-20240307-v1:0:200k', '--role-arn', ROLE), eol)).toBe(2);
    expect(eol.err()).toContain('LEGACY in us-east-1');
    const hp = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE, '--epochs', '9'), hp)).toBe(2);
    expect(hp.err()).toMatch(/epochs is too large[\s\S]*from 1 to 5/);
    const lr = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE, '--hyperparameter', 'learningRate=0.001'), lr)).toBe(2);
    expect(lr.err()).toMatch(/learningRate is too large[\s\S]*0\.0001/);
    const units = io();
    expect(await main(start('--model', 'meta.llama3-1-8b-instruct-v1:0:128k', '--role-arn', ROLE, '--batch-size', '2'), units)).toBe(2);
    expect(creates()).toBe(0);
  });

  it("a line that breaks the model's format: exit 1 with the line, nothing kept", async () => {
    await writeFile(join(dir, 'reserved.jsonl'), `${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'Bot: hello' }] })}\n`);
    const o = io();
    expect(await main(['tune', 'start', '--provider', 'bedrock', '--train', 'reserved.jsonl', '--bucket', 's3://train-data/llmgw', '--model', NOVA, '--role-arn', ROLE], o)).toBe(1);
    expect(o.err()).toContain('reserved.jsonl:1 messages[1].content: contains "Bot:"');
    expect(creates()).toBe(0);
  });

  it('--train s3://… is used where it is (not uploaded again); a missing object or another scheme is refused', async () => {
    const uri = 's3://train-data/ready/nova.jsonl';
    const missing = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE).map((a) => (a === 'train.jsonl' ? uri : a)), missing)).toBe(2);
    expect(missing.err()).toContain('has no such file');
    const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', endpoint: world.s3.url, forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY } });
    await s3.send(new PutObjectCommand({ Bucket: 'train-data', Key: 'ready/nova.jsonl', Body: await readFile(join(dir, 'train.jsonl')) }));
    s3.destroy();
    const o = io();
    expect(await main(['--json', 'tune', 'start', '--provider', 'bedrock', '--train', uri, '--model', NOVA, '--role-arn', ROLE, '--output', 's3://train-data/out/'], o)).toBe(0);
    const body = JSON.parse(fake.requests.filter((r) => r.method === 'POST' && r.path === '/model-customization-jobs').at(-1)?.bodyText ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ trainingDataConfig: { s3Uri: uri }, outputDataConfig: { s3Uri: 's3://train-data/out/' } });
    expect(o.err()).toContain('is used where it is (not checked here');
    const gs = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE).map((a) => (a === 'train.jsonl' ? 'gs://b/train.jsonl' : a)), gs)).toBe(2);
    expect(gs.err()).toContain('does not train from gs:// data');
  });

  it('start --wait --register deploys (on demand for Nova) before it registers the deployment', async () => {
    const o = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE, '--hyperparameter', 'learningRateWarmupSteps=4', '--wait', '--interval', '0.01', '--register', 'nova-support'), o)).toBe(0);
    const sent = JSON.parse(fake.requests.filter((r) => r.method === 'POST' && r.path === '/model-customization-jobs').at(-1)?.bodyText ?? '{}') as Record<string, unknown>;
    expect(sent.hyperParameters).toEqual({ learningRateWarmupSteps: '4' });
    const routes = JSON.parse(await readFile(join(dir, 'llmgw.routes.json'), 'utf8')) as { aliases: Record<string, unknown>; models: Record<string, { serving?: { bedrock?: { arn: string } } }> };
    const arn = Object.values(routes.models)[0]?.serving?.bedrock?.arn;
    expect(arn).toMatch(/^arn:aws:bedrock:us-east-1:\d{12}:custom-model-deployment\//);
    expect(Object.keys(routes.aliases)).toEqual(['nova-support']);
    expect(fake.serving.deployments.size).toBe(1);
  });

  it('no credentials anywhere in the default chain: exit 3 naming the ways to set them', async () => {
    awsEnv(undefined);
    const o = io();
    expect(await main(start('--model', NOVA, '--role-arn', ROLE), o)).toBe(3);
    expect(o.err()).toContain('AWS_PROFILE');
  });
});
