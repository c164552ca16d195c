/**
 * The Bedrock fake as a process of its own (`npm run fake -- bedrock`): the control-plane fake and
 * s3rver with a `train-data` bucket, both signed for with s3rver's key pair. Start jobs with
 * `--role-arn arn:aws:iam::123456789012:role/llmgw --bucket s3://train-data/llmgw`.
 */
import type { RunningFake } from '../registry.js';
import { S3_KEY, startS3 } from './s3.js';
import { FAILURE_PLAN, startFakeBedrock } from './server.js';

export async function run(): Promise<RunningFake> {
  const [fake, s3] = await Promise.all([startFakeBedrock({ accessKeyId: S3_KEY }), startS3(['train-data'])]);
  return {
    url: fake.url,
    env: {
      AWS_ACCESS_KEY_ID: S3_KEY,
      AWS_SECRET_ACCESS_KEY: S3_KEY,
      AWS_REGION: fake.region,
      AWS_ENDPOINT_URL_BEDROCK: fake.url,
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    provider: 'bedrock',
    model: 'amazon.nova-lite-v1:0:300k',
    startFlags: '--role-arn arn:aws:iam::123456789012:role/llmgw --bucket s3://train-data/llmgw',
    createMatch: 'POST /model-customization-jobs',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.planNext(FAILURE_PLAN),
    close: async () => {
      await Promise.all([fake.close(), s3.close()]);
    },
  };
}
