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

/**
 * The environment a CLI subprocess gets to reach this world: credentials only in the AWS
 * variables, both endpoints overridden, no config or metadata lookups outside the temp folder.
 */
export function bedrockEnv(world: BedrockWorld, extra: Record<string, string> = {}): Record<string, string> {
  const { dir } = world;
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    NO_COLOR: '1',
    LLMGW_CONFIG_DIR: join(dir, '.config'),
    ...awsTestEnv(dir),
    AWS_ENDPOINT_URL_BEDROCK: world.fake.url,
    AWS_ENDPOINT_URL_S3: world.s3.url,
    ...extra,
  };
}

/** AWS credentials for s3rver and the fake (one key pair) in the environment only: no profile, config file or instance metadata is read. */
export function awsTestEnv(dir: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: S3_KEY,
    AWS_SECRET_ACCESS_KEY: S3_KEY,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
  };
}
