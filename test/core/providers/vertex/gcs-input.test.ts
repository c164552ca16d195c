import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInput } from '../../../../src/core/dataset/input/open.js';
import { inputSchemes, registerInputScheme } from '../../../../src/core/dataset/input/schemes.js';
import { gcsOpener } from '../../../../src/core/providers/vertex/gcs-input.js';
import { setupVertex, type VertexSetup } from './helpers.js';

let v: VertexSetup;
beforeAll(async () => {
  v = await setupVertex({ gcsAuth: true });
  registerInputScheme('gs', gcsOpener({ extra: { ...v.settings.extra, storageEmulatorHost: undefined }, fetch: redirectTo(v.fake.url) }));
});
afterAll(async () => v.close());

/** Sends Google's Cloud Storage endpoint to the fake (so the credentials path is the real one). */
function redirectTo(base: string): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetch(url.replace('https://storage.googleapis.com', base), init);
  };
}

describe('gs:// dataset inputs', () => {
  it('is a registered scheme', () => {
    expect(inputSchemes()).toContain('gs');
  });

  it('streams an object (gzip too) from Cloud Storage with the caller\'s credentials', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: `a${i}` }] })).join('\n');
    v.fake.store.put('llmgw-data', 'sets/train.jsonl.gz', gzipSync(lines));
    const input = await openInput('gs://llmgw-data/sets/train.jsonl.gz');
    expect(input).toMatchObject({ name: 'gs://llmgw-data/sets/train.jsonl.gz', gzip: true, path: null });
    const chunks: Buffer[] = [];
    for await (const c of input.chunks()) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe(lines);
    const reads = v.fake.requests.filter((r) => r.path.startsWith('/storage/'));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.hadAuthorization && r.status === 200)).toBe(true);
  });

  it('names a missing object (exit 2) and a missing bucket (exit 3) with the fix', async () => {
    await expect(openInput('gs://llmgw-data/nope.jsonl')).rejects.toMatchObject({ code: 'gcs_object_not_found', exitCode: 2, hint: expect.stringContaining('gcloud storage ls') });
    await expect(openInput('gs://no-such-bucket/x.jsonl')).rejects.toMatchObject({ code: 'gcs_bucket_not_found', exitCode: 3 });
    await expect(openInput('gs://Bad_Bucket')).rejects.toMatchObject({ code: 'invalid_gcs_uri', exitCode: 2 });
  });
});
