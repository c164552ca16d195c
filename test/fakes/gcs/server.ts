/**
 * A fake Cloud Storage JSON API on 127.0.0.1, from the JSON API reference and "Perform resumable
 * uploads": objects by `GET /storage/v1/b/B/o/NAME` (metadata, or the bytes with `alt=media`,
 * pinned by `generation`), and resumable uploads (`POST /upload/storage/v1/b/B/o?uploadType=
 * resumable&name=…` → session URI in `Location`; `PUT` chunks with `Content-Range`, every chunk but
 * the last a multiple of 256 KiB; `308` + `Range: bytes=0-N` while incomplete; the object JSON
 * when done; `PUT` with a `Content-Range` of `bytes *` over TOTAL asks for the status). `ifGenerationMatch=0`
 * fails with 412 when the object exists. Errors are `{error: {code, message, errors: [{reason}]}}`.
 * A connection cut in the middle of a chunk keeps the part received, rounded down to 256 KiB, as
 * Cloud Storage does. A session lasts a week from its creation (the fake's real clock, or
 * `expireSessions()`); after that, and for a session it never made, every request to the session
 * URI is `404`, and the caller must start a new upload. Used as an emulator, it takes requests
 * without credentials; given a token issuer, it checks the bearer token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFault, FaultQueue } from '../shared/faults.js';
import { drain, listen, newRecord, sleep, writeReply, type RecordedRequest, type StartedServer } from '../shared/http.js';
import type { TokenIssuer } from '../vertex/oauth.js';

export const QUANTUM = 256 * 1024;
/** "Resumable upload sessions expire one week after initiation." */
export const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export interface StoredObject {
  bucket: string;
  name: string;
  data: Buffer;
  generation: string;
  contentType: string;
  metadata: Record<string, string>;
  timeCreated: string;
}

interface Session {
  id: string;
  bucket: string;
  name: string;
  contentType: string;
  metadata: Record<string, string>;
  ifGenerationMatch: string | null;
  received: Buffer[];
  persisted: number;
  done: StoredObject | undefined;
  createdAt: number;
}

export interface GcsStore {
  buckets: Map<string, Map<string, StoredObject>>;
  /** Buckets whose objects the caller may not read or write (403). */
  denied: Set<string>;
  put(bucket: string, name: string, data: Buffer | string, metadata?: Record<string, string>): StoredObject;
  get(bucket: string, name: string): StoredObject | undefined;
}

export interface FakeGcs extends StartedServer {
  store: GcsStore;
  faults: FaultQueue;
  requests: RecordedRequest[];
  /** Cut the connection of the next chunk PUT after this many body bytes (a dropped upload). */
  cutNextChunkAfter(bytes: number): void;
  /** Ages every session made so far past its week: requests to them answer 404 from now on. */
  expireSessions(): void;
  /** Handles a request if it is a Cloud Storage path; false otherwise (for sharing a server). */
  handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean>;
}

export function createStore(bucketNames: string[]): GcsStore {
  const buckets = new Map(bucketNames.map((b) => [b, new Map<string, StoredObject>()]));
  let generation = 1_700_000_000_000_000;
  return {
    buckets,
    denied: new Set(),
    put(bucket, name, data, metadata = {}) {
      const objects = buckets.get(bucket);
      if (!objects) throw new Error(`no bucket ${bucket}`);
      generation += 1;
      const o: StoredObject = { bucket, name, data: Buffer.isBuffer(data) ? data : Buffer.from(data), generation: String(generation), contentType: 'application/jsonl', metadata, timeCreated: new Date().toISOString() };
      objects.set(name, o);
      return o;
    },
    get: (bucket, name) => buckets.get(bucket)?.get(name),
  };
}

function resource(o: StoredObject): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${o.bucket}/${o.name}/${o.generation}`,
    name: o.name,
    bucket: o.bucket,
    generation: o.generation,
    metageneration: '1',
    contentType: o.contentType,
    size: String(o.data.length),
    md5Hash: createHash('md5').update(o.data).digest('base64'),
    metadata: o.metadata,
    timeCreated: o.timeCreated,
    updated: o.timeCreated,
  };
}

const gcsError = (code: number, message: string, reason: string): { status: number; json: unknown } => ({
  status: code,
  json: { error: { code, message, errors: [{ message, domain: 'global', reason }] } },
});

class Reply extends Error {
  constructor(readonly reply: { status: number; json?: unknown; headers?: Record<string, string>; raw?: Buffer }) {
    super(`HTTP ${reply.status}`);
  }
}

export function gcsHandler(store: GcsStore, opts: { tokens?: TokenIssuer | undefined; faults: FaultQueue }): Pick<FakeGcs, 'handle' | 'cutNextChunkAfter' | 'expireSessions'> {
  const sessions = new Map<string, Session>();
  let cutAfter: number | undefined;

  const bucketOf = (name: string, permission: string): Map<string, StoredObject> => {
    const b = store.buckets.get(name);
    if (!b) throw new Reply(gcsError(404, 'The specified bucket does not exist.', 'notFound'));
    if (store.denied.has(name)) throw new Reply(gcsError(403, `The caller does not have ${permission} access to the Google Cloud Storage bucket. Permission '${permission}' denied on resource (or it may not exist).`, 'forbidden'));
    return b;
  };

  const readBody = async (req: IncomingMessage, record: RecordedRequest): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of req as AsyncIterable<Buffer>) {
      chunks.push(c);
      record.bodyBytes += c.length;
    }
    return Buffer.concat(chunks);
  };

  const status308 = (s: Session): Reply => new Reply({ status: 308, json: undefined, headers: s.persisted > 0 ? { range: `bytes=0-${s.persisted - 1}` } : {} });

  const finish = (s: Session): Record<string, unknown> => {
    const objects = bucketOf(s.bucket, 'storage.objects.create');
    if (s.ifGenerationMatch === '0' && objects.has(s.name)) throw new Reply(gcsError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet'));
    s.done = store.put(s.bucket, s.name, Buffer.concat(s.received), s.metadata);
    s.done.contentType = s.contentType;
    return resource(s.done);
  };

  /** One PUT to a session: a chunk, or a status query (empty body, a `Content-Range` of `bytes *` over the total). */
  const chunk = async (req: IncomingMessage, s: Session, record: RecordedRequest): Promise<boolean> => {
    const m = /^bytes (?:(\d+)-(\d+)|\*)\/(\d+|\*)$/.exec(req.headers['content-range'] ?? '');
    if (!m) throw new Reply(gcsError(400, 'Invalid request. Content-Range is missing or malformed.', 'invalid'));
    const total = m[3] === '*' ? undefined : Number(m[3]);
    if (s.done) throw new Reply({ status: 200, json: resource(s.done) });
    if (m[1] === undefined) {
      await drain(req, record);
      if (total !== undefined && s.persisted === total) throw new Reply({ status: 200, json: finish(s) });
      throw status308(s);
    }
    const start = Number(m[1]);
    const end = Number(m[2]);
    if (start > s.persisted) throw new Reply(gcsError(400, `Invalid request. The first byte ${start} is beyond what was received (${s.persisted}).`, 'invalid'));
    const final = total !== undefined && end + 1 === total;
    if (!final && (end + 1 - start) % QUANTUM !== 0) throw new Reply(gcsError(400, `Invalid request. Chunks other than the last must be a multiple of ${QUANTUM} bytes.`, 'invalid'));
    // Read the body; a cut connection keeps what arrived, rounded down to 256 KiB.
    let got = 0;
    const parts: Buffer[] = [];
    const cut = cutAfter;
    cutAfter = undefined;
    for await (const c of req as AsyncIterable<Buffer>) {
      parts.push(c);
      got += c.length;
      record.bodyBytes += c.length;
      if (cut !== undefined && got >= cut) {
        keep(s, start, Buffer.concat(parts).subarray(0, Math.floor(cut / QUANTUM) * QUANTUM));
        record.fault = 'cut_chunk';
        req.socket.destroy();
        return true;
      }
    }
    const body = Buffer.concat(parts);
    if (body.length !== end + 1 - start) throw new Reply(gcsError(400, 'Invalid request. The body length does not match Content-Range.', 'invalid'));
    keep(s, start, body);
    if (final) throw new Reply({ status: 200, json: finish(s) });
    throw status308(s);
  };

  const keep = (s: Session, start: number, data: Buffer): void => {
    const fresh = data.subarray(s.persisted - start);
    if (fresh.length > 0) s.received.push(Buffer.from(fresh));
    s.persisted += fresh.length;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    if (!path.startsWith('/storage/v1/') && !path.startsWith('/upload/storage/v1/')) return false;
    const method = req.method ?? 'GET';
    try {
      const fault = opts.faults.take({ method, path });
      if (fault) record.fault = describeFault(fault);
      if (fault?.delayMs) await sleep(fault.delayMs);
      if (fault?.drop) {
        req.socket.destroy();
        return true;
      }
      if (fault?.status !== undefined) {
        await drain(req, record);
        throw new Reply({ ...gcsError(fault.status, fault.error?.message ?? `Fault injected: HTTP ${fault.status}.`, fault.status === 429 ? 'rateLimitExceeded' : 'backendError'), headers: fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {} });
      }
      if (opts.tokens && !opts.tokens.check(req.headers.authorization)) {
        await drain(req, record);
        throw new Reply(gcsError(401, 'Invalid Credentials', 'authError'));
      }
      const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(path);
      if (object && method === 'GET') {
        const bucket = decodeURIComponent(object[1] as string);
        const name = decodeURIComponent(object[2] as string);
        const o = bucketOf(bucket, 'storage.objects.get').get(name);
        const generation = url.searchParams.get('generation');
        if (!o || (generation !== null && generation !== o.generation)) throw new Reply(gcsError(404, `No such object: ${bucket}/${name}`, 'notFound'));
        if (url.searchParams.get('alt') === 'media') throw new Reply({ status: 200, raw: o.data, headers: { 'x-goog-generation': o.generation } });
        throw new Reply({ status: 200, json: resource(o) });
      }
      const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path);
      if (upload && url.searchParams.get('uploadType') === 'resumable') {
        const bucket = decodeURIComponent(upload[1] as string);
        const id = url.searchParams.get('upload_id');
        if (method === 'POST' && id === null) {
          const meta = JSON.parse((await readBody(req, record)).toString('utf8') || '{}') as { name?: string; contentType?: string; metadata?: Record<string, string> };
          const name = url.searchParams.get('name') ?? meta.name;
          if (!name) throw new Reply(gcsError(400, 'Required: the object name.', 'required'));
          const objects = bucketOf(bucket, 'storage.objects.create');
          const ifGenerationMatch = url.searchParams.get('ifGenerationMatch');
          if (ifGenerationMatch === '0' && objects.has(name)) throw new Reply(gcsError(412, 'At least one of the pre-conditions you specified did not hold.', 'conditionNotMet'));
          const s: Session = { id: randomBytes(12).toString('hex'), bucket, name, contentType: req.headers['x-upload-content-type']?.toString() ?? meta.contentType ?? 'application/octet-stream', metadata: meta.metadata ?? {}, ifGenerationMatch, received: [], persisted: 0, done: undefined, createdAt: Date.now() };
          sessions.set(s.id, s);
          const host = req.headers.host ?? '127.0.0.1';
          throw new Reply({ status: 200, json: {}, headers: { location: `http://${host}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${s.id}` } });
        }
        if (method === 'PUT' && id !== null) {
          const s = sessions.get(id);
          if (!s || Date.now() - s.createdAt >= SESSION_LIFETIME_MS) {
            await drain(req, record);
            throw new Reply(gcsError(404, 'No such upload session.', 'notFound'));
          }
          if (await chunk(req, s, record)) return true;
        }
      }
      await drain(req, record);
      throw new Reply(gcsError(404, `Not Found: ${method} ${path}`, 'notFound'));
    } catch (err) {
      if (!(err instanceof Reply)) throw err;
      const r = err.reply;
      record.status = r.status;
      if (r.raw) writeReply(res, { status: r.status, raw: r.raw, contentType: 'application/octet-stream' }, r.headers ?? {});
      else if (r.json === undefined) {
        res.writeHead(r.status, { ...r.headers, 'content-length': '0' });
        res.end();
      } else writeReply(res, { status: r.status, json: r.json }, { 'x-guploader-uploadid': 'fake', ...r.headers });
      return true;
    }
  };

  const expireSessions = (): void => {
    for (const s of sessions.values()) s.createdAt -= SESSION_LIFETIME_MS;
  };

  return { handle, cutNextChunkAfter: (bytes) => void (cutAfter = bytes), expireSessions };
}

/** A fake Cloud Storage server on its own port (what STORAGE_EMULATOR_HOST points at). */
export async function startFakeGcs(opts: { buckets?: string[]; tokens?: TokenIssuer } = {}): Promise<FakeGcs> {
  const store = createStore(opts.buckets ?? ['llmgw-data']);
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const handler = gcsHandler(store, { tokens: opts.tokens, faults });
  const server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record = newRecord(req, url.pathname, url.searchParams);
    requests.push(record);
    handler
      .handle(req, res, record)
      .then((handled) => {
        if (!handled) writeReply(res, { status: 404, json: { error: { code: 404, message: 'Not Found' } } }, {});
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake crashed: ${String(err)}`);
      });
  });
  return { ...server, store, faults, requests, ...handler };
}
