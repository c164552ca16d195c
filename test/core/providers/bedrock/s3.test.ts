import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadOutputFormat } from '../../../../src/core/dataset/convert/targets.js';
import { openInput } from '../../../../src/core/dataset/input/open.js';
import { headObject, parseS3Uri, s3Client } from '../../../../src/core/providers/bedrock/s3.js';
import { startFakeBedrock, type FakeBedrock } from '../../../fakes/bedrock/server.js';
import { S3_KEY, startS3, type S3Server } from '../../../fakes/bedrock/s3.js';
import { caught } from '../helpers.js';
import { awsEnv, bedrockFor } from './helpers.js';

let s3: S3Server;
let fake: FakeBedrock;
let dir: string;
beforeAll(async () => {
  [s3, fake] = await Promise.all([startS3(['train-data']), startFakeBedrock({ accessKeyId: S3_KEY })]);
  dir = mkdtempSync(join(tmpdir(), 'llmgw-bedrock-s3-'));
});
afterAll(async () => {
  await Promise.all([s3.close(), fake.close()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => awsEnv({ accessKeyId: S3_KEY, secretAccessKey: S3_KEY }));
afterEach(() => vi.unstubAllEnvs());

const NOVA = 'amazon.nova-lite-v1:0:300k';
const line = (i: number, answer = `Answer ${i}.`) => JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: `Question ${i}?` }, { role: 'assistant', content: answer }] });
function dataset(name: string, lines: string[]): { path: string; sha256: string; bytes: number } {
  const text = `${lines.join('\n')}\n`;
  const path = join(dir, name);
  writeFileSync(path, text);
  return { path, sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
}
const provider = (extra: Record<string, string> = {}) => bedrockFor(fake, { s3Endpoint: s3.url, ...extra });
async function objectText(uri: string): Promise<string> {
  const place = parseS3Uri(uri);
  const res = await s3Client({ region: 'us-east-1', endpoint: s3.url }).send(new GetObjectCommand({ Bucket: place?.bucket, Key: place?.key }));
  return res.Body?.transformToString() ?? '';
}

describe('Bedrock training data on S3', () => {
  it('converts each line to the model format on its way up, keyed by content hash, and reuses it the second time', async () => {
    const d = dataset('small.jsonl', [line(1), line(2), '']);
    const progress: number[] = [];
    const file = await provider().upload({ ...d, filename: 'small.jsonl', baseModel: NOVA, onProgress: (p) => progress.push(p.sentBytes) });
    expect(file.id).toBe(`s3://train-data/llmgw/llmgw/${d.sha256}.conversation.jsonl`);
    const lines = (await objectText(file.id)).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ schemaVersion: 'bedrock-conversation-2024', system: [{ text: 'Be brief.' }], messages: [{ role: 'user', content: [{ text: 'Question 1?' }] }, { role: 'assistant', content: [{ text: 'Answer 1.' }] }] });
    expect(progress.at(-1)).toBe(d.bytes);
    const again = await provider().upload({ ...d, filename: 'small.jsonl', baseModel: NOVA });
    expect(again).toMatchObject({ id: file.id, status: 'processed' });
    expect(await provider().getFile(file.id)).toMatchObject({ id: file.id, bytes: file.bytes });
  });

  it('streams a file larger than one part through a parallel multipart upload', async () => {
    const pad = 'x'.repeat(900);
    const d = dataset('big.jsonl', Array.from({ length: 13_000 }, (_, i) => line(i, `${pad} ${i}`)));
    expect(d.bytes).toBeGreaterThan(11 * 1024 * 1024);
    const file = await provider().upload({ ...d, filename: 'big.jsonl', baseModel: 'meta.llama3-1-8b-instruct-v1:0:128k' });
    const text = await objectText(file.id);
    expect(Buffer.byteLength(text)).toBe(file.bytes);
    const rows = text.trim().split('\n');
    expect(rows).toHaveLength(13_000);
    expect(JSON.parse(rows[12_999] ?? '{}')).toEqual({ prompt: 'Be brief.\n\nQuestion 12999?', completion: `${pad} 12999` });

    // Ctrl-C during a multipart upload aborts it: exit 130, and no object under the key.
    const abort = new AbortController();
    const other = { ...d, sha256: 'f'.repeat(64) };
    const err = await caught(provider().upload({ ...other, filename: 'big.jsonl', baseModel: NOVA, signal: abort.signal, onProgress: (p) => p.sentBytes > 0 && abort.abort() }));
    expect(err).toMatchObject({ code: 'upload_interrupted', exitCode: 130 });
    const place = parseS3Uri(`s3://train-data/llmgw/llmgw/${other.sha256}.conversation.jsonl`);
    expect(place && (await headObject(s3Client({ region: 'us-east-1', endpoint: s3.url }), place))).toBeUndefined();
  });

  it('stops at lines the model cannot take, names them, and leaves nothing in S3', async () => {
    const d = dataset('bad.jsonl', [line(1), line(2, 'Bot: sure'), '{"messages": [{"role": "user", "content": "q"}]}', line(4)]);
    const err = await caught(provider().upload({ ...d, filename: 'bad.jsonl', baseModel: NOVA }));
    expect(err).toMatchObject({ code: 'bedrock_data_invalid', exitCode: 1 });
    expect(err.message).toContain('bad.jsonl:2 messages[2].content: contains "Bot:"');
    expect(err.message).toContain('bad.jsonl:3 messages: an example needs at least a user message and an assistant answer');
    const place = parseS3Uri(`s3://train-data/llmgw/llmgw/${d.sha256}.conversation.jsonl`);
    expect(place && (await headObject(s3Client({ region: 'us-east-1', endpoint: s3.url }), place))).toBeUndefined();
  });

  it('a missing bucket or no bucket at all is a configuration problem with the fix', async () => {
    const d = dataset('one.jsonl', [line(1), line(2)]);
    expect(await caught(provider({ bucket: 's3://no-such-bucket/x' }).upload({ ...d, filename: 'one.jsonl', baseModel: NOVA }))).toMatchObject({ code: 'bucket_not_found', exitCode: 3 });
    expect(await caught(provider({ bucket: '' }).upload({ ...d, filename: 'one.jsonl', baseModel: NOVA }))).toMatchObject({ code: 'bedrock_bucket_missing', exitCode: 2, hint: expect.stringContaining('--bucket s3://') });
  });

  it('opens s3:// inputs through the dataset input seam, with the SDK\'s own Region and endpoint', async () => {
    const d = dataset('seam.jsonl', [line(1), line(2)]);
    const file = await provider().upload({ ...d, filename: 'seam.jsonl' });
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.url);
    const input = await openInput(file.id);
    let text = '';
    for await (const chunk of input.chunks()) text += chunk.toString('utf8');
    expect(text).toBe(`${line(1)}\n${line(2)}\n`);
    expect(input.size).toBe(d.bytes);
    expect(await caught(openInput('s3://train-data/llmgw/missing.jsonl'))).toMatchObject({ code: 'file_not_found', exitCode: 2 });
  });

  it('writes the bedrock --to format for a model, skipping what it cannot carry', async () => {
    const format = await loadOutputFormat('bedrock');
    await expect(Promise.resolve().then(() => format.create({}))).rejects.toMatchObject({ code: 'missing_model' });
    const writer = await format.create({ model: 'anthropic.claude-3-haiku-20240307-v1:0:200k' });
    expect(writer.write({ kind: 'chat', value: JSON.parse(line(1)) as never })).toEqual({ line: { system: 'Be brief.', messages: [{ role: 'user', content: 'Question 1?' }, { role: 'assistant', content: 'Answer 1.' }] }, notes: [] });
    const skipped = writer.write({ kind: 'chat', value: { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }] }] } as never });
    expect(skipped).toEqual({ skip: expect.stringContaining('takes no tool calls') });
  });
});
