/**
 * S3 for Bedrock: `s3://bucket/key` places, the client (the AWS default chain; a custom endpoint
 * such as an S3-compatible server gets path-style addressing), and reading an object as a stream
 * with its size, for `--train s3://…` and `dataset validate s3://…`.
 */
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, S3Client, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { UsageError } from '../../errors.js';
import { fromAwsError, s3Context } from './errors.js';

export interface S3Place {
  bucket: string;
  /** The key, or the prefix (no leading slash; may be empty). */
  key: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Uri(uri: string): S3Place | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!m || !BUCKET.test(m[1] ?? '')) return undefined;
  return { bucket: m[1] ?? '', key: m[2] ?? '' };
}

/** Parses a setting or flag that must be an S3 place, as a usage error naming it. */
export function s3Setting(value: string, flag: string): S3Place {
  const place = parseS3Uri(value);
  if (!place) throw new UsageError('invalid_s3_uri', `${flag} "${value}" is not an S3 place.`, { hint: `write it as s3://bucket/prefix (a bucket name of 3-63 lowercase letters, digits, dots or hyphens)` });
  return place;
}

export const s3Uri = (p: S3Place): string => `s3://${p.bucket}/${p.key}`;

/** `prefix/name`, without doubled slashes. */
export function under(prefix: S3Place, name: string): S3Place {
  const base = prefix.key.replace(/\/+$/, '');
  return { bucket: prefix.bucket, key: base ? `${base}/${name}` : name };
}

export interface S3Options {
  region?: string | undefined;
  /** A custom endpoint (AWS_ENDPOINT_URL_S3, an emulator): addressed path-style. */
  endpoint?: string | undefined;
  maxAttempts?: number | undefined;
  timeoutMs?: number | undefined;
}

export function s3Client(o: S3Options): S3Client {
  return new S3Client({
    ...(o.region ? { region: o.region } : {}),
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
    ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
    ...(o.timeoutMs ? { requestHandler: { requestTimeout: o.timeoutMs } } : {}),
  });
}

/** The object's head, or undefined when there is none. */
export async function headObject(s3: S3Client, place: S3Place, signal?: AbortSignal): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: place.bucket, Key: place.key }), { abortSignal: signal });
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || (e.$metadata?.httpStatusCode === 404 && e.name !== 'NoSuchBucket')) return undefined;
    throw fromAwsError(err, s3Context(`look up ${s3Uri(place)}`), signal);
  }
}

/** An object as a byte stream with its size; a missing object is a usage error naming it. */
export async function openS3Object(s3: S3Client, uri: string, signal?: AbortSignal): Promise<{ stream: Readable; bytes: number }> {
  const place = s3Setting(uri, 'the S3 object');
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: place.bucket, Key: place.key }), { abortSignal: signal });
    return { stream: res.Body as Readable, bytes: res.ContentLength ?? 0 };
  } catch (err) {
    const e = err as { name?: string };
    if (e.name === 'NoSuchKey' || e.name === 'NotFound') throw new UsageError('file_not_found', `${uri}: no such S3 object.`, { hint: 'check the bucket and key (aws s3 ls s3://bucket/prefix/)' });
    throw fromAwsError(err, s3Context(`read ${uri}`), signal);
  }
}
