/**
 * The slice of the Cloud Storage JSON API llmgw uses, over fetch: object metadata, object
 * download as a stream, and the endpoints of a resumable upload (upload.ts). The endpoint is
 * `https://storage.googleapis.com` or STORAGE_EMULATOR_HOST; as Google's own client libraries do,
 * requests to an emulator carry no credentials.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ConfigError, UsageError } from '../../../errors.js';
import type { GoogleCredentials } from '../auth.js';
import { googleError, googleHttpError, parseGoogleError, type GoogleContext } from '../errors.js';
import { retrying } from './retry.js';
import { nodeFetch, nodeStreamFetch } from './transport.js';

export const GCS_DEFAULT_ENDPOINT = 'https://storage.googleapis.com';

/** An object's resource as the JSON API returns it (the fields llmgw reads; numbers come as strings). */
export interface GcsObject {
  bucket: string;
  name: string;
  size: string;
  generation?: string;
  md5Hash?: string;
  crc32c?: string;
  contentType?: string;
  metadata?: Record<string, string>;
  timeCreated?: string;
}

export interface GcsClientOptions {
  /** STORAGE_EMULATOR_HOST (`host:port` means http) or undefined for Google's endpoint. */
  emulatorHost?: string | undefined;
  /** Used for Google's endpoint; never sent to an emulator. */
  credentials?: GoogleCredentials | undefined;
  /** Send credentials even to a custom endpoint (tests that check the token). */
  authenticateEmulator?: boolean | undefined;
  fetch?: typeof fetch | undefined;
  /** Retries of a failed request (429, 5xx, dropped connection); default 4. */
  maxRetries?: number | undefined;
}

/** `gs://bucket/name` → parts; `name` may be empty (a bucket or folder). */
export function parseGsUri(uri: string): { bucket: string; name: string } {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  const bucket = m?.[1];
  if (!m || bucket === undefined || !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) {
    throw new UsageError('invalid_gcs_uri', `"${uri}" is not a Cloud Storage URI.`, { hint: 'write it as gs://BUCKET/path/to/file.jsonl (bucket names are lower case)' });
  }
  return { bucket, name: m[2] ?? '' };
}

export function gsUri(bucket: string, name: string): string {
  return `gs://${bucket}/${name}`;
}

export class GcsClient {
  readonly endpoint: string;
  private readonly authenticate: boolean;
  readonly fetch: typeof fetch;
  private readonly download: typeof fetch;
  readonly maxRetries: number;

  constructor(private readonly opts: GcsClientOptions) {
    const host = opts.emulatorHost?.trim();
    this.endpoint = (host ? (/^https?:\/\//.test(host) ? host : `http://${host}`) : GCS_DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.authenticate = host ? opts.authenticateEmulator === true : true;
    this.fetch = opts.fetch ?? nodeFetch;
    this.download = opts.fetch ?? nodeStreamFetch;
    this.maxRetries = opts.maxRetries ?? 4;
  }

  /** The headers of one request: credentials (not for an emulator) plus `extra`. */
  async headers(extra: Record<string, string> = {}): Promise<Headers> {
    const headers = new Headers(extra);
    if (this.authenticate && this.opts.credentials) for (const [k, v] of await this.opts.credentials.headers()) headers.set(k, v);
    return headers;
  }

  objectUrl(bucket: string, name: string): string {
    return `${this.endpoint}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}`;
  }

  /** The object's metadata, or undefined when there is no such object (a missing bucket is an error). */
  async getObject(bucket: string, name: string, signal?: AbortSignal, context?: GoogleContext): Promise<GcsObject | undefined> {
    const ctx = context ?? readContext(bucket, name, 'look up');
    const res = await this.send(ctx, signal, async () => this.fetch(this.objectUrl(bucket, name), { headers: await this.headers(), signal }));
    if (res.status === 404) {
      const body = await res.text();
      if (isMissingBucket(body)) throw missingBucket(bucket);
      return undefined;
    }
    if (!res.ok) throw googleHttpError(res.status, await res.text(), ctx);
    return (await res.json()) as GcsObject;
  }

  /** Opens an object for streaming (no local copy): its metadata and a stream of its bytes. */
  async readObject(bucket: string, name: string, signal?: AbortSignal): Promise<{ object: GcsObject; stream: Readable }> {
    const object = await this.getObject(bucket, name, signal);
    if (!object) {
      throw new UsageError('gcs_object_not_found', `There is no object ${gsUri(bucket, name)}.`, { hint: `check the name (\`gcloud storage ls gs://${bucket}/${name.replace(/[^/]*$/, '')}\` lists the folder)` });
    }
    const ctx = readContext(bucket, name, 'download');
    // Pinned to the generation just read, so a rewrite during the read cannot mix two versions.
    const url = `${this.objectUrl(bucket, name)}?alt=media${object.generation ? `&generation=${object.generation}` : ''}`;
    const res = await this.send(ctx, signal, async () => this.download(url, { headers: await this.headers(), signal }));
    if (!res.ok || !res.body) throw googleHttpError(res.status, await res.text(), ctx);
    return { object, stream: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) };
  }

  /** Sends with retries on 429/5xx/dropped connections; other answers are returned for the caller to read. */
  send(ctx: GoogleContext, signal: AbortSignal | undefined, attempt: () => Promise<Response>): Promise<Response> {
    return retrying(this.maxRetries, signal, async () => {
      try {
        return await attempt();
      } catch (err) {
        throw googleError(err, ctx, signal);
      }
    });
  }
}

function readContext(bucket: string, name: string, verb: string): GoogleContext {
  return {
    service: 'Cloud Storage',
    action: `${verb} ${gsUri(bucket, name)}`,
    permissionHint: `grant the caller the Storage Object Viewer role (roles/storage.objectViewer) on gs://${bucket}, or use an object in a bucket it can read`,
  };
}

/** Cloud Storage answers 404 both for a missing object and a missing bucket; the message tells them apart. */
export function isMissingBucket(body: string): boolean {
  return /bucket does not exist/i.test(parseGoogleError(body).message ?? '');
}

export function missingBucket(bucket: string): ConfigError {
  return new ConfigError('gcs_bucket_not_found', `The Cloud Storage bucket gs://${bucket} does not exist.`, {
    hint: `create it in the job's region (\`gcloud storage buckets create gs://${bucket} --location REGION\`), or name another with --bucket gs://BUCKET (or \`llmgw config set vertex.bucket gs://BUCKET\`)`,
  });
}
