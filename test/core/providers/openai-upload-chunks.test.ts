import { readFileSync, statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/openai/index.js';
import { openaiFor, tempDataset } from './helpers.js';

// Files of several MB, so every body is read from disk in several 1 MB chunks through the two
// reused buffers of disk-form.ts, and byte ranges start and end off chunk boundaries.
describe('OpenAI adapter: uploads of several MB', () => {
  let fake: FakeOpenAI;
  const data = tempDataset(22_000);
  const size = statSync(data.path).size;
  const bytes = readFileSync(data.path);

  beforeAll(async () => {
    fake = await startFakeOpenAI({ keepContentBytes: 16 * 1024 * 1024 });
  });
  afterEach(() => fake.faults.clear());
  afterAll(async () => {
    await fake.close();
    data.cleanup();
  });

  it('sends the whole file in one POST /files, byte for byte, reporting progress as chunks go out', async () => {
    expect(size).toBeGreaterThan(5 * 1024 * 1024);
    const progress: number[] = [];
    const file = await openaiFor(fake).upload({ path: data.path, bytes: size, sha256: '', onProgress: (p) => progress.push(p.sentBytes) });
    expect(fake.state.files.get(file.id)?.content?.equals(bytes)).toBe(true);
    // At least one report per MB, never going back, ending at the file size.
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((n, i) => i === 0 || n >= (progress[i - 1] ?? 0))).toBe(true);
    expect(progress.at(-1)).toBe(size);
  });

  it('sends parts whose ranges fall between chunk boundaries, reassembled byte for byte', async () => {
    const partBytes = 2.5 * 1024 * 1024;
    const provider = openaiFor(fake, { uploadLimits: { maxSingleUploadBytes: 1024 * 1024, uploadPartBytes: partBytes, concurrency: 2 } });
    const file = await provider.upload({ path: data.path, bytes: size, sha256: '' });
    const upload = [...fake.state.uploads.values()].find((u) => u.object.file?.id === file.id);
    expect(upload?.completedOrder).toHaveLength(Math.ceil(size / partBytes));
    expect(fake.state.files.get(file.id)?.content?.equals(bytes)).toBe(true);
  });

  it('sends a part again from disk when the connection drops while its body is going out', async () => {
    const provider = openaiFor(fake, { uploadLimits: { maxSingleUploadBytes: 1024 * 1024, uploadPartBytes: 3 * 1024 * 1024, concurrency: 1 } });
    fake.faults.push({ match: 'POST /v1/uploads/*/parts', drop: true, skip: 1 });
    const before = fake.count('POST /v1/uploads/*/parts');
    const file = await provider.upload({ path: data.path, bytes: size, sha256: '' });
    // Two parts, the second sent twice.
    expect(fake.count('POST /v1/uploads/*/parts') - before).toBe(3);
    expect(fake.state.files.get(file.id)?.content?.equals(bytes)).toBe(true);
  });
});
