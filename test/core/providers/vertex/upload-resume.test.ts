/**
 * An upload cut short by the end of its process (here: the abort signal, between two confirmed
 * chunks) is taken up by the next upload of the same data through the session recorded in
 * `.llmgw/upload-sessions.json`: the fake receives only the bytes it lacked, and the object is
 * the same bytes as an upload in one go. A session the service no longer knows starts over.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../../../src/core/jobs/ledger.js';
import { sessionsPath, uploadSessions } from '../../../../src/core/jobs/upload-sessions.js';
import type { UploadedFile, UploadRequest } from '../../../../src/core/providers/types.js';
import { trainingBytes } from '../../../../src/core/providers/vertex/training-data.js';
import { chat, setupVertex, type VertexSetup } from './helpers.js';

const PART = 256 * 1024;

let v: VertexSetup;
let ledger: Ledger;
beforeAll(async () => {
  v = await setupVertex();
  ledger = new Ledger({ dir: v.dir });
});
afterAll(async () => v.close());

/** OpenAI chat examples (converted while they stream) of about 1.9 MB: 8 chunks of 256 KiB. */
const bigData = (name: string, tag: string): Promise<{ path: string; sha256: string; bytes: number }> =>
  v.dataFile(
    name,
    Array.from({ length: 700 }, (_, i) => chat(`${tag} question ${i} ${'x'.repeat(2600)}`, `answer ${i}`)),
  );

/** One run of the upload, as a fresh process would make it (a new adapter, the same project folder). */
function run(data: { path: string; sha256: string; bytes: number }, more: Partial<UploadRequest> = {}): Promise<UploadedFile> {
  const p = v.provider({ uploadLimits: { uploadPartBytes: PART } });
  return p.upload({ ...data, sessions: uploadSessions(ledger), ...more });
}

/** Stops the run once the service has confirmed `chunks` chunks (nothing is in flight then). */
async function cutShort(data: { path: string; sha256: string; bytes: number }, chunks: number, more: Partial<UploadRequest> = {}): Promise<number> {
  const stop = new AbortController();
  let confirmed = 0;
  await expect(
    run(data, {
      ...more,
      signal: stop.signal,
      onProgress: (p) => {
        if (p.sentBytes >= chunks * PART && !stop.signal.aborted) {
          confirmed = p.sentBytes;
          stop.abort();
        }
      },
    }),
  ).rejects.toMatchObject({ exitCode: 130 });
  return confirmed;
}

/** What the fake received for uploads from request `from` on: new sessions and chunk body bytes. */
function received(from: number): { sessions: number; putBytes: number; statusQueries: number } {
  const uploads = v.fake.requests.slice(from).filter((r) => r.path.startsWith('/upload/'));
  return {
    sessions: uploads.filter((r) => r.method === 'POST').length,
    putBytes: uploads.filter((r) => r.method === 'PUT').reduce((n, r) => n + r.bodyBytes, 0),
    statusQueries: uploads.filter((r) => r.method === 'PUT' && /^bytes \*\//.test(r.headers['content-range'] ?? '')).length,
  };
}

async function records(): Promise<Record<string, { session: string }>> {
  try {
    return (JSON.parse(await readFile(sessionsPath(ledger), 'utf8')) as { sessions: Record<string, { session: string }> }).sessions;
  } catch {
    return {};
  }
}

/** The converted bytes of `path` in one go, as an uninterrupted upload sends them. */
async function whole(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of trainingBytes(path)) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

function stored(file: UploadedFile): Buffer {
  const object = v.fake.store.get('llmgw-data', file.id.replace('gs://llmgw-data/', ''));
  if (!object) throw new Error(`no object ${file.id}`);
  return object.data;
}

describe('a Vertex upload cut short by the end of its run', () => {
  it('goes on in the next run from what Cloud Storage kept, sending only the rest', async () => {
    const data = await bigData('resume.jsonl', 'r');
    const before = v.fake.requests.length;
    const kept = await cutShort(data, 3);
    expect(kept).toBe(3 * PART);
    expect(received(before)).toMatchObject({ sessions: 1, putBytes: kept });
    // The session is recorded (owner-only: it is a capability) and nothing else of the credentials.
    const recorded = Object.values(await records());
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.session).toMatch(/upload_id=/);
    expect((await stat(sessionsPath(ledger))).mode & 0o077).toBe(0);
    expect(await readFile(sessionsPath(ledger), 'utf8')).not.toMatch(/private_key|Bearer|ya29/);

    const second = v.fake.requests.length;
    const resumed: number[] = [];
    const progress: number[] = [];
    const file = await run(data, { onResume: (p) => resumed.push(p.sentBytes), onProgress: (p) => progress.push(p.sentBytes) });
    const sent = received(second);
    expect(resumed).toEqual([kept]);
    expect(file.resumedFrom).toBe(kept);
    expect(sent.sessions).toBe(0);
    expect(sent.statusQueries).toBe(1);
    expect(sent.putBytes).toBe(file.bytes - kept);
    expect(progress[0]).toBe(kept);
    expect(progress.at(-1)).toBe(file.bytes);

    // Byte-identical to the bytes hashed before the upload (the object is named by their SHA-256).
    const bytes = stored(file);
    expect(bytes.length).toBe(file.bytes);
    expect(file.id).toContain(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.equals(await whole(data.path))).toBe(true);
    expect(bytes.toString().split('\n').filter(Boolean)).toHaveLength(700);
    // The completed upload cleared its record.
    expect(await records()).toEqual({});
  });

  it('starts a new upload from byte 0 when the session has expired (404)', async () => {
    const data = await bigData('expired.jsonl', 'e');
    await cutShort(data, 2);
    expect(Object.keys(await records())).toHaveLength(1);
    v.fake.gcs.expireSessions();
    const from = v.fake.requests.length;
    const resumed: number[] = [];
    const file = await run(data, { onResume: (p) => resumed.push(p.sentBytes) });
    const asked = v.fake.requests.slice(from).find((r) => r.method === 'PUT');
    expect(asked?.status).toBe(404);
    expect(resumed).toEqual([]);
    expect(file.resumedFrom).toBeUndefined();
    expect(received(from)).toMatchObject({ sessions: 1, putBytes: file.bytes });
    expect(stored(file).equals(await whole(data.path))).toBe(true);
    expect(await records()).toEqual({});
  });

  it('never takes up the session of other bytes: another file starts its own upload', async () => {
    const first = await bigData('one.jsonl', 'one');
    await cutShort(first, 2);
    const other = await bigData('two.jsonl', 'two');
    const from = v.fake.requests.length;
    const file = await run(other);
    expect(file.resumedFrom).toBeUndefined();
    expect(received(from)).toMatchObject({ sessions: 1, statusQueries: 0, putBytes: file.bytes });
    // The first file's session is still there for its own next run, which sends only the rest.
    expect(Object.keys(await records())).toHaveLength(1);
    const again = v.fake.requests.length;
    const resumedFile = await run(first);
    expect(resumedFile.resumedFrom).toBe(2 * PART);
    expect(received(again).putBytes).toBe(resumedFile.bytes - 2 * PART);
    expect(stored(resumedFile).equals(await whole(first.path))).toBe(true);
    expect(await records()).toEqual({});
  });

  it('leaves a session to its process while that process still runs on this host', async () => {
    const running = new Set([4101, 4102]);
    const as = (pid: number): Ledger => new Ledger({ dir: v.dir, owner: { pid, isAlive: (p) => running.has(p) } });
    const data = await bigData('busy.jsonl', 'busy');
    await cutShort(data, 2, { sessions: uploadSessions(as(4101)) });
    // Process 4101 is still uploading: 4102 starts a session of its own instead of writing into 4101's.
    const from = v.fake.requests.length;
    const file = await run(data, { sessions: uploadSessions(as(4102)) });
    expect(file.resumedFrom).toBeUndefined();
    expect(received(from)).toMatchObject({ sessions: 1, statusQueries: 0, putBytes: file.bytes });

    const other = await bigData('gone.jsonl', 'gone');
    await cutShort(other, 2, { sessions: uploadSessions(as(4101)) });
    running.delete(4101);
    const again = v.fake.requests.length;
    const resumed = await run(other, { sessions: uploadSessions(as(4102)) });
    expect(resumed.resumedFrom).toBe(2 * PART);
    expect(received(again)).toMatchObject({ sessions: 0, putBytes: resumed.bytes - 2 * PART });
  });
});
