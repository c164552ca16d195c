/**
 * `s3://bucket/key` as a dataset input (`dataset validate s3://…`, `dataset convert s3://…`): the
 * object streamed from S3, never to a local copy, with the Bedrock settings the tune commands use:
 * the Region (`bedrock.region`, `--region`, AWS_REGION, else the AWS profile's) and an
 * S3-compatible endpoint (`bedrock.s3Endpoint` / AWS_ENDPOINT_URL_S3, addressed path-style).
 * Credentials come from the AWS default chain.
 */
import { isLlmgwError, ConfigError, ProviderAuthError } from '../../errors.js';
import type { InputOpener } from '../../dataset/input/schemes.js';
import type { ProviderSettings } from '../types.js';
import { openS3Object, parseS3Uri, s3Client } from './s3.js';

/** An opener for `s3://` URIs with these settings (`extra.region`, `extra.s3Endpoint`). */
export function s3Opener(settings: Pick<ProviderSettings, 'extra' | 'maxRetries' | 'timeoutMs'> = {}): InputOpener {
  return async (uri, signal) => {
    const s3 = s3Client({
      region: settings.extra?.region,
      endpoint: settings.extra?.s3Endpoint,
      maxAttempts: settings.maxRetries === undefined ? undefined : settings.maxRetries + 1,
      timeoutMs: settings.timeoutMs,
    });
    try {
      const { stream, bytes } = await openS3Object(s3, uri, signal);
      return { stream, size: bytes, name: uri };
    } catch (err) {
      throw forReading(err, uri);
    }
  };
}

/** The tune-oriented fixes (`--bucket`, iam:PassRole) rewritten for reading one object. */
function forReading(err: unknown, uri: string): unknown {
  if (!isLlmgwError(err)) return err;
  const bucket = parseS3Uri(uri)?.bucket ?? '';
  if (err.code === 'bucket_not_found') {
    return new ConfigError('bucket_not_found', `The S3 bucket ${bucket} does not exist (reading ${uri}).`, {
      hint: `check the bucket name (\`aws s3 ls\` lists yours), and the Region (--region, bedrock.region, AWS_REGION) and endpoint (AWS_ENDPOINT_URL_S3) llmgw reads it through`,
      cause: err,
    });
  }
  if (err.code === 'provider_permission_denied' && err instanceof ProviderAuthError) {
    return new ProviderAuthError('provider_permission_denied', `Amazon S3 refused to let the AWS identity read ${uri} (HTTP 403).`, {
      provider: 'bedrock',
      status: err.status,
      requestId: err.requestId,
      retryable: false,
      hint: `grant the identity s3:GetObject on arn:aws:s3:::${bucket}/* (and s3:ListBucket on the bucket, so a missing key reads as missing), or use AWS_PROFILE for one that has it`,
      cause: err,
    });
  }
  return err;
}
