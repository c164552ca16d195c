/**
 * AWS SDK failures as llmgw errors. Credentials, Region and the service role are configuration
 * (exit 3) with the fix; a request Bedrock or S3 refuses is a usage error (exit 2); throttling,
 * outages and lost connections after the SDK's retries are provider errors (exit 4).
 */
import { ConfigError, ProviderAuthError, type LlmgwError } from '../../errors.js';
import { toCoreError, type FailureContext, type HttpFailure } from '../errors.js';

/** What the IAM role Bedrock assumes needs; said whenever the role is missing or refused. */
export const ROLE_NEEDS =
  'an IAM role Bedrock can assume (trust policy for bedrock.amazonaws.com) with s3:GetObject and s3:ListBucket on the training data and s3:PutObject on the output prefix; your own credentials need iam:PassRole on it';

interface AwsErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { headers?: Record<string, string | undefined> };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

export function bedrockContext(action: string): FailureContext {
  return { provider: 'bedrock', displayName: 'Amazon Bedrock', apiKeyEnv: 'AWS_PROFILE', action, secrets: [] };
}

export function s3Context(action: string): FailureContext {
  return { provider: 'bedrock', displayName: 'Amazon S3', apiKeyEnv: 'AWS_PROFILE', action, secrets: [] };
}

/** Maps one AWS SDK failure; `signal` tells a caller's abort from a lost connection. */
export function fromAwsError(err: unknown, ctx: FailureContext, signal?: AbortSignal): LlmgwError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as AwsErrorShape;
  const name = e.name ?? '';
  const message = e.message ?? name;
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  const facts = { provider: 'bedrock', status, requestId, providerCode: name || undefined, retryable: false };

  if (signal?.aborted || name === 'AbortError') return toCoreError({ kind: 'aborted' }, ctx);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new ConfigError('aws_credentials_missing', `No AWS credentials were found to ${ctx.action}.`, {
      hint: 'llmgw uses the AWS default credential chain: set AWS_PROFILE (after `aws sso login` for SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is attached',
    });
  }
  if (/region is missing/i.test(message)) {
    return new ConfigError('aws_region_missing', `No AWS Region is set, so llmgw cannot ${ctx.action}.`, {
      hint: 'pass --region us-east-1, set AWS_REGION, put region= in your AWS profile, or run `llmgw config set bedrock.region us-east-1`',
    });
  }
  if (['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired'].includes(name)) {
    return new ProviderAuthError('aws_credentials_expired', `The AWS credentials have expired (${ctx.displayName} refused to ${ctx.action}).`, {
      ...facts,
      hint: 'refresh them (`aws sso login`, or a new session token) and run the same command again',
    });
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'InvalidAccessKeyId', 'InvalidClientTokenId'].includes(name)) {
    return new ProviderAuthError('provider_auth_failed', `${ctx.displayName} did not accept the AWS credentials (${name}) while trying to ${ctx.action}.`, {
      ...facts,
      hint: 'check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)',
    });
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return new ProviderAuthError('provider_permission_denied', `${ctx.displayName} refused to ${ctx.action}: the AWS identity is not allowed to (${name || 'HTTP 403'}): ${message}`, {
      ...facts,
      hint: `grant the identity the Bedrock and S3 permissions for this step; for a fine-tuning job it also needs iam:PassRole on the service role (${ROLE_NEEDS})`,
    });
  }
  if (name === 'ValidationException' && /role|assume/i.test(message)) {
    return new ConfigError('bedrock_role_refused', `Bedrock cannot use the service role: ${message}`, { hint: `pass --role-arn with ${ROLE_NEEDS}` });
  }
  const redirect = e.$response?.headers?.['x-amz-bucket-region'];
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || (status === 301 && redirect)) {
    return new ConfigError('bucket_in_other_region', `The S3 bucket is in another Region${redirect ? ` (${redirect})` : ''} than the one llmgw uses for Bedrock, which reads training data only from its own Region.`, {
      hint: redirect ? `pass --region ${redirect}, or use a bucket in the job's Region (--bucket s3://…)` : "use a bucket in the job's Region (--bucket s3://…), or pass that bucket's Region with --region",
    });
  }
  if (name === 'NoSuchBucket') {
    return new ConfigError('bucket_not_found', `The S3 bucket does not exist (${ctx.displayName} could not ${ctx.action}).`, { hint: 'create it in the job\'s Region, or name another one with --bucket s3://bucket/prefix' });
  }
  const code = (e as { code?: string }).code ?? (e as { cause?: { code?: string } } & AwsErrorShape & { cause?: { code?: string } }).cause?.code;
  let failure: HttpFailure;
  if (name === 'TimeoutError' || name === 'RequestTimeout') failure = { kind: 'timeout' };
  else if (status === undefined || (code !== undefined && CONNECTION_CODES.has(code))) failure = { kind: 'connection', message };
  else failure = { kind: 'http', status: name === 'ThrottlingException' ? 429 : status, requestId, code: name, message };
  if (name === 'ServiceQuotaExceededException') failure = { kind: 'http', status: 429, requestId, code: 'insufficient_quota', message };
  return toCoreError(failure, ctx);
}
