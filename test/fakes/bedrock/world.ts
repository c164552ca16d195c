/**
 * What the Bedrock CLI tests share: the control-plane fake and s3rver (one key pair for both) and
 * a temp project folder holding the sample training file. `close()` removes all of it.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3_KEY, startS3, type S3Server } from './s3.js';
import { startFakeBedrock, type FakeBedrock } from './server.js';

export const NOVA = 'amazon.nova-lite-v1:0:300k';
export const ROLE = 'arn:aws:iam::123456789012:role/bedrock-tuning';

export interface BedrockWorld {
  fake: FakeBedrock;
  s3: S3Server;
  dir: string;
  close(): Promise<void>;
}

export async function bedrockWorld(prefix: string): Promise<BedrockWorld> {
  const [fake, s3] = await Promise.all([startFakeBedrock({ accessKeyId: S3_KEY }), startS3(['train-data'])]);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await copyFile(join(import.meta.dirname, '..', '..', 'fixtures', 'tune', 'train.jsonl'), join(dir, 'train.jsonl'));
  return { fake, s3, dir, close: async () => void (await Promise.all([fake.close(), s3.close(), rm(dir, { recursive: true, force: true })])) };
}
