/**
 * OpenAI SDK errors → llmgw errors. The SDK has already retried (429, 5xx, connection errors,
 * honouring Retry-After) by the time an error reaches here.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { ProviderError, type LlmgwError } from '../../errors.js';
import { redact, toCoreError, type FailureContext, type HttpFailure } from '../errors.js';

/** Reduces an SDK error to provider-neutral facts; undefined when it is not an SDK error. */
export function failureOf(err: unknown): HttpFailure | undefined {
  if (err instanceof APIUserAbortError) return { kind: 'aborted' };
  if (err instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (err instanceof APIConnectionError) return { kind: 'connection', message: err.message };
  if (!(err instanceof APIError)) return undefined;
  const body = err.error as { message?: unknown } | undefined;
  return {
    kind: 'http',
    status: err.status,
    requestId: err.requestID,
    code: err.code,
    type: err.type,
    param: err.param,
    message: typeof body?.message === 'string' ? body.message : err.message,
  };
}

// OpenAI does not document how a closed account is refused; match the wording it uses for the wind-down.
const CLOSED = /fine[- ]?tun\w*.*\b(not available|unavailable|no longer|winding down|wind down|not (allowed|permitted|enabled)|disabled|closed|not have access)/i;
const CLOSED_CODE = /fine_?tuning.*(unavailable|not_available|disabled|closed)/;
// 403s that are about the key or the place, not about fine-tuning being closed.
const KEY_OR_PLACE = /missing scopes?|insufficient permissions|country|region|territory/i;

/** True when OpenAI refused because fine-tuning is closed to this account, not because of the request or the key. */
export function isPolicyRefusal(f: HttpFailure, creatingJob: boolean): boolean {
  if (f.kind !== 'http' || (f.status !== 403 && f.status !== 400)) return false;
  if (CLOSED.test(f.message ?? '') || CLOSED_CODE.test(f.code ?? '')) return true;
  return f.status === 403 && creatingJob && !KEY_OR_PLACE.test(f.message ?? '');
}

/** Maps anything thrown by an SDK call; non-SDK errors are rethrown untouched (they are bugs or already mapped). */
export function mapOpenAIError(err: unknown, ctx: FailureContext, opts: { creatingJob?: boolean } = {}): unknown {
  const f = failureOf(err);
  if (!f) return err;
  if (isPolicyRefusal(f, opts.creatingJob ?? false)) return policyRefusal(f, ctx);
  return toCoreError(f, ctx);
}

function policyRefusal(f: HttpFailure, ctx: FailureContext): LlmgwError {
  const said = f.message ? ` ${ctx.displayName} said: "${redact(f.message, ctx.secrets)}"` : '';
  return new ProviderError(
    'fine_tuning_unavailable',
    `${ctx.displayName} refused to ${ctx.action}: fine-tuning is not available to this account (HTTP ${f.status}). ` +
      `OpenAI is winding down self-serve fine-tuning: it is closed to new users and existing users keep access only for a limited time.${said}`,
    {
      provider: ctx.provider,
      status: f.status,
      requestId: f.requestId ?? undefined,
      providerCode: f.code ?? undefined,
      retryable: false,
      hint: 'train on another provider with --provider (llmgw lists them in `llmgw tune start --help`), or ask OpenAI to keep fine-tuning open for this organization',
    },
  );
}
