/**
 * A real S3-compatible server for the tests: s3rver (from npm, no Docker) on 127.0.0.1 port 0,
 * storing in a temp folder that `close()` removes. It checks SigV4 signatures against its own
 * key pair (S3RVER / S3RVER), so the SDK signs for real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const S3_KEY = 'S3RVER';

export interface S3Server {
  url: string;
  dir: string;
  close(): Promise<void>;
}

export async function startS3(buckets: string[] = ['train-data']): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const { port } = (await server.run()) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
