import type { ProviderSettingSpec } from '../../config/keys.js';

/**
 * Bedrock's own settings (config keys `bedrock.<field>`), declared for the registry so every
 * `tune` verb takes their flags without loading the AWS SDK. No credentials here: those come from
 * the AWS default chain.
 */
export const BEDROCK_SETTINGS: readonly ProviderSettingSpec[] = [
  { field: 'region', kind: 'string', description: 'AWS Region for the job and its S3 data (default: the AWS SDK\'s, from the profile)', env: 'AWS_REGION', flag: '--region' },
  { field: 'roleArn', kind: 'string', description: 'IAM role Bedrock assumes to read the data and write the output', flag: '--role-arn' },
  { field: 'bucket', kind: 'string', description: 'S3 place llmgw uploads training data to, s3://bucket/prefix', flag: '--bucket' },
  { field: 'output', kind: 'string', description: 'S3 prefix for the job output (default: <bucket>/output/)', flag: '--output' },
  { field: 's3Endpoint', kind: 'url', description: 'S3 endpoint for an S3-compatible server (addressed path-style)', env: 'AWS_ENDPOINT_URL_S3' },
];
