/**
 * Turning a provider's HTTP failure into llmgw's error tree. Every SDK has its own error classes;
 * an adapter reduces them to `HttpFailure` facts and this module decides the user-facing error:
 * which exit code, which stable code, what the message and the fix say. Provider facts (status,
 * request id, provider code, retryability) are kept on the error and in its JSON.
 */
import { InterruptedError, ProviderAuthError, ProviderError, UsageError, providerFactsJson, type ErrorDetails, type LlmgwError } from '../errors.js';

/** What an adapter knows about one failed call, independent of its SDK. */
export interface HttpFailure {
  /** `http`: the provider answered with an error status; `connection`/`timeout`: no answer; `aborted`: the caller's signal. */
  kind: 'http' | 'connection' | 'timeout' | 'aborted';
  status?: number | undefined;
  requestId?: string | null | undefined;
  /** The provider's machine code, e.g. `invalid_api_key`, `insufficient_quota`. */
  code?: string | null | undefined;
  /** The provider's error type, e.g. `invalid_request_error`. */
  type?: string | null | undefined;
  /** The request field the provider blamed, e.g. `training_file`. */
  param?: string | null | undefined;
  /** The provider's own message (will be redacted). */
  message?: string | undefined;
}

/** Who is failing and how the user fixes credentials; given by the adapter. */
export interface FailureContext {
  provider: string;
  displayName: string;
  /** Environment variable holding the key, e.g. `OPENAI_API_KEY`. */
  apiKeyEnv: string;
  /** What the call was doing, e.g. `create the fine-tuning job`. */
  action: string;
  /** Values that must never appear in a message (the API key). */
  secrets: readonly (string | undefined)[];
}

export interface ProviderRejectionDetails extends ErrorDetails {
  provider: string;
  status?: number | undefined;
  requestId?: string | undefined;
  providerCode?: string | undefined;
  param?: string | undefined;
}

/**
 * The provider refused the request as invalid (400/404/409/422): a usage problem the user fixes
 * by changing the request, so exit 2, with the provider's facts kept.
 */
export class ProviderRejectedError extends UsageError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly providerCode: string | undefined;
  readonly param: string | undefined;
  readonly retryable = false;

  constructor(code: string, message: string, details: ProviderRejectionDetails) {
    super(code, message, details);
    this.provider = details.provider;
    this.status = details.status;
    this.requestId = details.requestId;
    this.providerCode = details.providerCode;
    this.param = details.param;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...providerFactsJson(this), param: this.param ?? null };
  }
}

const KEY_LIKE = /\b(sk-[A-Za-z0-9_*.-]{3,}|Bearer\s+\S+)/g;

/** Removes the secrets and anything shaped like an API key from a provider message. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]');
}

/** Maps one failure to the error the user sees. Adapters may special-case first (e.g. a policy refusal). */
export function toCoreError(f: HttpFailure, ctx: FailureContext): LlmgwError {
  const facts = {
    provider: ctx.provider,
    status: f.status,
    requestId: f.requestId ?? undefined,
    providerCode: f.code ?? undefined,
  };
  const said = f.message ? `: ${redact(f.message, ctx.secrets).replace(/\.+$/, '')}` : '';
  const ref = f.requestId ? ` (request id ${f.requestId})` : '';
  const who = ctx.displayName;

  if (f.kind === 'aborted') {
    return new InterruptedError('provider_request_aborted', `Stopped while waiting for ${who} to ${ctx.action}.`, {
      hint: 'run the command again; it picks up where it stopped',
    });
  }
  if (f.kind === 'timeout') {
    return new ProviderError('provider_timeout', `${who} did not answer in time while trying to ${ctx.action}, even after retries.`, {
      ...facts,
      retryable: true,
      hint: 'try again later, or allow more time per request with --request-timeout and more attempts with --max-retries',
    });
  }
  if (f.kind === 'connection' || f.status === undefined) {
    return new ProviderError('provider_unreachable', `Could not reach ${who} to ${ctx.action}${said}.`, {
      ...facts,
      retryable: true,
      hint: 'check the network and the base URL (--base-url), then try again',
    });
  }

  const s = f.status;
  if (s === 401) {
    return new ProviderAuthError('provider_auth_failed', `${who} rejected the API key (HTTP 401)${said}${ref}.`, {
      ...facts,
      retryable: false,
      hint: `set ${ctx.apiKeyEnv} to a valid key (or run \`llmgw config set ${ctx.provider}.apiKey …\`)`,
    });
  }
  if (s === 403) {
    return new ProviderAuthError('provider_permission_denied', `${who} refused to ${ctx.action}: the key is not allowed to do this (HTTP 403)${said}${ref}.`, {
      ...facts,
      retryable: false,
      hint: `use a key (${ctx.apiKeyEnv}) whose organization and project have access, or check the project's permissions`,
    });
  }
  if (s === 429) {
    const quota = f.code === 'insufficient_quota';
    return new ProviderError(
      quota ? 'provider_quota_exceeded' : 'provider_rate_limited',
      quota
        ? `${who} refused to ${ctx.action}: the account is out of quota${said}${ref}.`
        : `${who} kept rate-limiting the request to ${ctx.action}, even after retries${said}${ref}.`,
      {
        ...facts,
        retryable: !quota,
        hint: quota ? "check the account's billing and quota, then try again" : 'wait a minute and try again, or allow more attempts with --max-retries',
      },
    );
  }
  if (s >= 500) {
    return new ProviderError('provider_unavailable', `${who} failed to ${ctx.action} (HTTP ${s}), even after retries${said}${ref}.`, {
      ...facts,
      retryable: true,
      hint: "this is on the provider's side; try again later",
    });
  }
  const param = f.param ?? undefined;
  if (s === 404) {
    return new ProviderRejectedError('provider_not_found', `${who} could not find what was asked for while trying to ${ctx.action}${said}${ref}.`, {
      ...facts,
      param,
      hint: 'check the id, and that the key belongs to the organization and project that own it',
    });
  }
  return new ProviderRejectedError('provider_rejected_request', `${who} rejected the request to ${ctx.action} (HTTP ${s}${param ? `, field ${param}` : ''})${said}${ref}.`, {
    ...facts,
    param,
    hint: param ? `fix ${param} and try again` : 'fix the request as the message says and try again',
  });
}

/**
 * The create call may have reached the provider but its answer never came back (connection lost
 * or timed out). Retrying blindly could start a second job, so adapters stop here and say so;
 * the caller looks for the job (by the ledger id in its metadata) before creating it again.
 */
export function createUnconfirmed(ctx: FailureContext, kind: 'connection' | 'timeout'): ProviderError {
  const what = kind === 'timeout' ? 'timed out' : 'was lost';
  return new ProviderError('job_create_unconfirmed', `The connection to ${ctx.displayName} ${what} while creating the fine-tuning job, so llmgw cannot tell whether the job was created.`, {
    provider: ctx.provider,
    retryable: true,
    hint: 'run the same command again: llmgw looks for a job tagged with this request before it creates another',
  });
}
