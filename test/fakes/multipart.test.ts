import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readMultipart } from './shared/multipart.js';

async function* chunks(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function encode(form: FormData): Promise<{ body: Buffer; boundary: string }> {
  const res = new Response(form);
  const boundary = /boundary=(.+)$/.exec(res.headers.get('content-type') ?? '')?.[1] ?? '';
  return { body: Buffer.from(await res.arrayBuffer()), boundary };
}

describe('streaming multipart reader', () => {
  // Content that contains CRLFs and a near-delimiter, so a split in the wrong place shows.
  const content = Buffer.from(Array.from({ length: 300 }, (_, i) => `line ${i}\r\n--not-the-boundary\r\n`).join(''));

  it.each([1, 7, 64, 1000, 1 << 20])('reads fields and files identically whatever the chunk size (%i)', async (size) => {
    const form = new FormData();
    form.append('purpose', 'fine-tune');
    form.append('file', new File([content], 'train.jsonl', { type: 'text/jsonl' }));
    const { body, boundary } = await encode(form);
    const parsed = await readMultipart(chunks(body, size), boundary, { keepBytes: 1 << 20 });
    expect(parsed.fields).toEqual({ purpose: 'fine-tune' });
    expect(parsed.files.file).toMatchObject({ filename: 'train.jsonl', contentType: 'text/jsonl', bytes: content.length });
    expect(parsed.files.file?.content?.equals(content)).toBe(true);
    expect(parsed.files.file?.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('keeps only the size and SHA-256 of files over keepBytes', async () => {
    const form = new FormData();
    form.append('data', new File([content], 'part'));
    const { body, boundary } = await encode(form);
    const parsed = await readMultipart(chunks(body, 4096), boundary, { keepBytes: 100 });
    expect(parsed.files.data).toMatchObject({ bytes: content.length, content: null, md5: null, sha256: createHash('sha256').update(content).digest('hex') });
  });

  it('rejects a body cut off before its closing delimiter', async () => {
    const form = new FormData();
    form.append('file', new File([content], 'x.jsonl'));
    const { body, boundary } = await encode(form);
    await expect(readMultipart(chunks(body.subarray(0, body.length - 10), 50), boundary, { keepBytes: 1 << 20 })).rejects.toThrow(/closing delimiter/);
  });
});
