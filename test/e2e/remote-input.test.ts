/**
 * Dataset inputs in cloud storage through the built CLI: `gs://` against the fake Google Cloud
 * (a generated service-account key, STORAGE_EMULATOR_HOST or `vertex.storageEmulatorHost`) and
 * `s3://` against s3rver (AWS_ENDPOINT_URL_S3 or `bedrock.s3Endpoint`, path-style), read with the
 * settings the tune commands use, streamed and never written to a local file.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3_KEY, startS3, type S3Server } from '../fakes/bedrock/s3.js';
import { awsTestEnv } from '../fakes/bedrock/world.js';
import { startFakeGoogle, type FakeGoogle } from '../fakes/vertex/server.js';
import { BIN, type RunResult } from './tune-harness.js';

const chat = (q: string): string => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: `Answer to ${q}` }] });
/** 12 lines: line 4 is not JSON, line 9 has an unknown role; the rest are valid. */
const DATA = Array.from({ length: 12 }, (_, i) => (i === 3 ? '{"messages": [' : i === 8 ? JSON.stringify({ messages: [{ role: 'bot', content: 'x' }, { role: 'assistant', content: 'y' }] }) : chat(`question ${i + 1}`))).join('\n') + '\n';

let dir: string;
let tmp: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'llmgw-remote-input-'));
  tmp = await mkdtemp(join(tmpdir(), 'llmgw-remote-input-tmp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(tmp, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string>, config: string): Promise<RunResult> {
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir, TMPDIR: tmp, NO_COLOR: '1', LLMGW_CONFIG_DIR: join(dir, config), ...env };
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

interface Report {
  valid: boolean;
  files: { file: string; summary: { lines: number; examples: number; errors: number }; issues: { line: number; code: string }[] }[];
}

/** The report of the 12-line file: its lines and its two errors, on their lines. */
function expectDataReport(r: RunResult, uri: string): void {
  expect(r.code, r.stderr).toBe(1);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.files[0]).toMatchObject({ file: uri, summary: { lines: 12, examples: 11, errors: 2 } });
  expect(report.files[0]?.issues.filter((i) => i.code === 'invalid_json' || i.code === 'invalid_role').map((i) => i.line)).toEqual([4, 9]);
}

/** Nothing was written beside the command or in its temporary folder but what `keep` names. */
async function expectNoLocalCopy(keep: string[] = []): Promise<void> {
  expect(await readdir(tmp)).toEqual([]);
  const files = (await readdir(dir)).filter((f) => !keep.includes(f) && !f.startsWith('cfg-'));
  expect(files.filter((f) => f !== 'sa-key.json')).toEqual([]);
}

const errorOf = (r: RunResult): { code: string; exitCode: number; hint: string } => (JSON.parse(r.stdout) as { error: { code: string; exitCode: number; hint: string } }).error;

describe('gs:// inputs read with the Vertex settings', () => {
  let fake: FakeGoogle;
  let env: Record<string, string>;
  const URI = 'gs://llmgw-data/sets/train.jsonl';
  beforeAll(async () => {
    fake = await startFakeGoogle();
    await fake.writeKeyFile(join(dir, 'sa-key.json'));
    fake.store.put('llmgw-data', 'sets/train.jsonl', DATA);
    env = { METADATA_SERVER_DETECTION: 'none', GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'sa-key.json'), STORAGE_EMULATOR_HOST: fake.host };
  });
  afterAll(() => fake.close());

  it('validates the object where it is (STORAGE_EMULATOR_HOST), counting its lines and errors', async () => {
    const r = await run(['--json', 'dataset', 'validate', URI, '--no-tokens'], env, 'cfg-gs');
    expectDataReport(r, URI);
    expect(fake.requests.some((q) => q.method === 'GET' && q.path === '/storage/v1/b/llmgw-data/o/sets%2Ftrain.jsonl')).toBe(true);
    await expectNoLocalCopy();
  });

  it('takes the emulator from config (vertex.storageEmulatorHost), for stats, convert and split too', async () => {
    const { STORAGE_EMULATOR_HOST: host = '', ...rest } = env;
    expect((await run(['config', 'set', 'vertex.storageEmulatorHost', host], rest, 'cfg-gs-config')).code).toBe(0);
    expectDataReport(await run(['--json', 'dataset', 'validate', URI, '--no-tokens'], rest, 'cfg-gs-config'), URI);
    const stats = await run(['--json', 'dataset', 'stats', URI, '--threads', '0'], rest, 'cfg-gs-config');
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ examples: 11 });
    const converted = await run(['dataset', 'convert', URI, '-o', 'out.jsonl'], rest, 'cfg-gs-config');
    expect(converted.code, converted.stderr).toBe(0);
    expect((await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
    const split = await run(['--json', 'dataset', 'split', URI, '--validation-count', '2'], rest, 'cfg-gs-config');
    expect(split.code, split.stderr).toBe(1); // the line that is not JSON stops the split, as for a local file
    await rm(join(dir, 'out.jsonl'));
    await expectNoLocalCopy(['train.train.jsonl', 'train.val.jsonl']);
  });

  it('says what is wrong, with the fix, for a missing object or bucket, a 403 and missing credentials', async () => {
    const [missing, noBucket] = await Promise.all([
      run(['--json', 'dataset', 'validate', 'gs://llmgw-data/sets/none.jsonl'], env, 'cfg-gs'),
      run(['--json', 'dataset', 'validate', 'gs://no-such-bucket/x.jsonl'], env, 'cfg-gs'),
    ]);
    expect(missing.code).toBe(2);
    expect(errorOf(missing)).toMatchObject({ code: 'gcs_object_not_found', hint: expect.stringContaining('gcloud storage ls') });
    expect(noBucket.code).toBe(3);
    expect(errorOf(noBucket)).toMatchObject({ code: 'gcs_bucket_not_found', hint: expect.stringContaining('check the bucket name') });
    fake.faults.push({ match: 'GET /storage/v1/b/llmgw-data/o/*', status: 403 });
    const denied = await run(['--json', 'dataset', 'validate', URI], env, 'cfg-gs');
    expect(denied.code).toBe(3);
    expect(errorOf(denied).hint).toContain('roles/storage.objectViewer');
    // Without the emulator the credentials are needed: the configured file is the one read.
    const { STORAGE_EMULATOR_HOST: _host, GOOGLE_APPLICATION_CREDENTIALS: _key, ...bare } = env;
    expect((await run(['config', 'set', 'vertex.credentials', join(dir, 'no-such-key.json')], bare, 'cfg-gs-creds')).code).toBe(0);
    const noCreds = await run(['--json', 'dataset', 'validate', URI], bare, 'cfg-gs-creds');
    expect(noCreds.code).toBe(3);
    expect(errorOf(noCreds)).toMatchObject({ code: 'google_credentials_unreadable' });
    expect(noCreds.stderr).toContain('no-such-key.json');
  });
});

describe('s3:// inputs read with the Bedrock settings', () => {
  let s3: S3Server;
  let env: Record<string, string>;
  let localhostEndpoint: string;
  const URI = 's3://train-data/sets/train.jsonl';
  beforeAll(async () => {
    s3 = await startS3(['train-data']);
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY } });
    await client.send(new PutObjectCommand({ Bucket: 'train-data', Key: 'sets/train.jsonl', Body: DATA }));
    client.destroy();
    // A host name rather than an IP address: without path-style the SDK would ask train-data.localhost.
    localhostEndpoint = s3.url.replace('127.0.0.1', 'localhost');
    env = awsTestEnv(dir);
  });
  afterAll(() => s3.close());

  it('validates the object where it is (AWS_ENDPOINT_URL_S3, path-style), counting its lines and errors', async () => {
    const r = await run(['--json', 'dataset', 'validate', URI, '--no-tokens'], { ...env, AWS_ENDPOINT_URL_S3: localhostEndpoint }, 'cfg-s3');
    expectDataReport(r, URI);
    await expectNoLocalCopy();
  });

  it('takes the endpoint from config (bedrock.s3Endpoint) and the Region from --region, for stats and convert too', async () => {
    expect((await run(['config', 'set', 'bedrock.s3Endpoint', localhostEndpoint], env, 'cfg-s3-config')).code).toBe(0);
    const r = await run(['--json', '--debug', 'dataset', 'validate', URI, '--no-tokens', '--region', 'eu-west-1'], env, 'cfg-s3-config');
    expectDataReport(r, URI);
    expect(r.stderr).toMatch(/region from --region; s3Endpoint from user config/);
    const stats = await run(['--json', 'dataset', 'stats', URI, '--threads', '0'], env, 'cfg-s3-config');
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ examples: 11 });
    const converted = await run(['dataset', 'convert', URI, '-o', '-'], env, 'cfg-s3-config');
    expect(converted.code, converted.stderr).toBe(0);
    expect(converted.stdout.trim().split('\n')).toHaveLength(10);
    await expectNoLocalCopy();
  });

  it('says what is wrong, with the fix, for a missing key or bucket, refused credentials and none at all', async () => {
    const e: Record<string, string> = { ...env, AWS_ENDPOINT_URL_S3: localhostEndpoint };
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...noKeys } = e;
    const [missing, noBucket, refused, none] = await Promise.all([
      run(['--json', 'dataset', 'validate', 's3://train-data/sets/none.jsonl'], e, 'cfg-s3'),
      run(['--json', 'dataset', 'validate', 's3://no-such-bucket/x.jsonl'], e, 'cfg-s3'),
      run(['--json', 'dataset', 'validate', URI], { ...e, AWS_ACCESS_KEY_ID: 'AKIANOTKNOWN' }, 'cfg-s3'),
      run(['--json', 'dataset', 'validate', URI], noKeys, 'cfg-s3'),
    ]);
    expect(missing.code).toBe(2);
    expect(errorOf(missing)).toMatchObject({ code: 'file_not_found', hint: expect.stringContaining('aws s3 ls') });
    expect(noBucket.code).toBe(3);
    expect(errorOf(noBucket)).toMatchObject({ code: 'bucket_not_found', hint: expect.stringContaining('check the bucket name') });
    expect(refused.code).toBe(3);
    expect(errorOf(refused)).toMatchObject({ code: 'provider_auth_failed' });
    expect(none.code).toBe(3);
    expect(errorOf(none)).toMatchObject({ code: 'aws_credentials_missing', hint: expect.stringContaining('AWS_PROFILE') });
    for (const r of [missing, noBucket, refused, none]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
