// s3rver (the S3-compatible server from npm the tests use) in a process of its own, driven over
// IPC by the s3-upload bench, so the server's work is not timed as the client's. It stores in a
// temp folder removed on close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

const dir = mkdtempSync(join(tmpdir(), 'llmgw-bench-s3-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'bench-data', configs: [] }] });
const { port } = await server.run();
process.on('message', async (msg) => {
  if (msg.type === 'close') {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    process.disconnect();
  }
});
process.send({ type: 'ready', url: `http://127.0.0.1:${port}` });
