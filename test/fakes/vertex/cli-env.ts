import { join } from 'node:path';
import type { FakeGoogle } from './server.js';

/**
 * The environment a CLI subprocess gets to reach the fake Google: a generated service-account key
 * in `dir` (written by `fake.writeKeyFile`), the project and region, both endpoint overrides, and
 * no metadata-server lookup (it would be a request off this machine).
 */
export function googleCliEnv(fake: FakeGoogle, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NO_COLOR: '1',
    HOME: dir,
    LLMGW_CONFIG_DIR: join(dir, 'cfg'),
    METADATA_SERVER_DETECTION: 'none',
    GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'sa-key.json'),
    GOOGLE_CLOUD_PROJECT: 'llmgw-test',
    GOOGLE_CLOUD_LOCATION: 'us-central1',
    GOOGLE_VERTEX_BASE_URL: fake.url,
    STORAGE_EMULATOR_HOST: fake.host,
    ...extra,
  };
}
