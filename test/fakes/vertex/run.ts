/**
 * The fake Google Cloud as a process of its own (`npm run fake -- vertex`): the token endpoint,
 * the Vertex tuning API and Cloud Storage on one port, with a service-account key file written to
 * a temporary folder (removed on close). Training data goes to the bucket `llmgw-data`:
 * `llmgw tune start --train datasets/chat-valid.jsonl --bucket gs://llmgw-data --wait`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningFake } from '../registry.js';
import { startFakeGoogle } from './server.js';

export async function run(): Promise<RunningFake> {
  const fake = await startFakeGoogle({ stepMs: 2_000 });
  const dir = await mkdtemp(join(tmpdir(), 'llmgw-fake-vertex-'));
  const keyFile = join(dir, 'service-account.json');
  await fake.writeKeyFile(keyFile);
  return {
    url: fake.url,
    env: {
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLE_CLOUD_PROJECT: 'llmgw-test',
      GOOGLE_CLOUD_LOCATION: 'us-central1',
      GOOGLE_VERTEX_BASE_URL: fake.url,
      STORAGE_EMULATOR_HOST: fake.host,
    },
    provider: 'vertex',
    model: 'gemini-2.5-flash',
    startFlags: '--bucket gs://llmgw-data',
    createMatch: 'POST /v1/projects/*/locations/*/tuningJobs',
    faults: fake.faults,
    requests: fake.requests,
    failNextJob: () => fake.nextOutcome('fail'),
    close: async () => {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
