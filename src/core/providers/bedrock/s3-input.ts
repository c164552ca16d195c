/**
 * `s3://bucket/key` as a dataset input (`dataset validate s3://…`, `dataset convert s3://…`): the
 * object streamed from S3 through the AWS default chain. Region and endpoint are the SDK's own
 * (AWS_REGION or the profile; AWS_ENDPOINT_URL_S3 for an S3-compatible server, which an IP
 * address endpoint reaches path-style).
 */
import type { OpenedObject } from '../../dataset/input/schemes.js';
import { openS3Object, s3Client } from './s3.js';

export async function openS3Input(uri: string, signal?: AbortSignal): Promise<OpenedObject> {
  const { stream, bytes } = await openS3Object(s3Client({}), uri, signal);
  return { stream, size: bytes, name: uri };
}
