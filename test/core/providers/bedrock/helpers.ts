import { vi } from 'vitest';
import { factory } from '../../../../src/core/providers/bedrock/index.js';
import type { FineTuningProvider, ProviderSettings } from '../../../../src/core/providers/types.js';
import type { FakeBedrock } from '../../../fakes/bedrock/server.js';
import { ROLE } from '../../../fakes/bedrock/world.js';

/**
 * The AWS SDK reads its credential chain from the environment: point it at the fake's key only,
 * with no profile files and no instance metadata (which would reach outside the machine).
 */
export function awsEnv(fake: { accessKeyId: string; secretAccessKey: string } | undefined): void {
  vi.stubEnv('AWS_ACCESS_KEY_ID', fake?.accessKeyId ?? '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', fake?.secretAccessKey ?? '');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('AWS_PROFILE', '');
  vi.stubEnv('AWS_REGION', '');
  vi.stubEnv('AWS_DEFAULT_REGION', '');
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  vi.stubEnv('AWS_ENDPOINT_URL', '');
  vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK', '');
  vi.stubEnv('AWS_ENDPOINT_URL_S3', '');
  vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
}

export { ROLE };

export function bedrockFor(fake: FakeBedrock, extra: Record<string, string | undefined> = {}, settings: Partial<ProviderSettings> = {}): FineTuningProvider {
  return factory.create({ baseUrl: fake.url, maxRetries: 1, timeoutMs: 5000, extra: { region: fake.region, roleArn: ROLE, bucket: 's3://train-data/llmgw', ...extra }, ...settings });
}
