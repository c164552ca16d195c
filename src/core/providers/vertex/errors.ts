/**
 * Google's failures (a `google.rpc.Status` body: `{error: {code, message, status, details}}`, from
 * Vertex AI through the genai SDK or from Cloud Storage through fetch) as llmgw's errors, with
 * fixes that speak of Google's credentials, roles and resources rather than API keys.
 */
import { InterruptedError, isLlmgwError, ProviderAuthError, type LlmgwError } from '../../errors.js';
import { redact, toCoreError, type FailureContext, type HttpFailure } from '../errors.js';

export interface GoogleStatus {
  code?: number | undefined;
  message?: string | undefined;
  /** The canonical code name, e.g. `RESOURCE_EXHAUSTED`. */
  status?: string | undefined;
  /** Cloud Storage: `errors[0].reason`, e.g. `notFound`. */
  reason?: string | undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Status inside an error body (JSON text or parsed); empty when it has none. */
export function parseGoogleError(body: unknown): GoogleStatus {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { message: body.slice(0, 300) };
    }
  }
  const e = isRecord(value) && isRecord(value.error) ? value.error : undefined;
  if (!e) return {};
  const first = Array.isArray(e.errors) && isRecord(e.errors[0]) ? e.errors[0] : undefined;
  return {
    code: typeof e.code === 'number' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
    status: typeof e.status === 'string' ? e.status : undefined,
    reason: typeof first?.reason === 'string' ? first.reason : undefined,
  };
}

export interface GoogleContext {
  /** `Vertex AI` or `Cloud Storage`. */
  service: string;
  /** What the call was doing, e.g. `create the tuning job`. */
  action: string;
  /** The fix for a 403, naming the role and the resource. */
  permissionHint: string;
}

const LOGIN_HINT = 'run `gcloud auth application-default login`, or point GOOGLE_APPLICATION_CREDENTIALS at a valid service-account key';

/** One HTTP failure (status and body) as the user's error. */
export function googleHttpError(status: number, body: unknown, ctx: GoogleContext, requestId?: string | null): LlmgwError {
  const s = parseGoogleError(body);
  const facts = { provider: 'vertex', status, requestId: requestId ?? undefined, providerCode: s.status ?? s.reason };
  const said = s.message ? `: ${redact(s.message, []).replace(/\.+$/, '')}` : '';
  const code = s.status ? ` ${s.status}` : '';
  if (status === 401) {
    return new ProviderAuthError('provider_auth_failed', `${ctx.service} rejected the credentials (HTTP 401${code})${said}.`, { ...facts, retryable: false, hint: LOGIN_HINT });
  }
  if (status === 403) {
    const disabled = /has not been used|is disabled|SERVICE_DISABLED/i.test(`${s.message ?? ''} ${s.reason ?? ''}`);
    return new ProviderAuthError('provider_permission_denied', `${ctx.service} refused to ${ctx.action} (HTTP 403${code})${said}.`, {
      ...facts,
      retryable: false,
      hint: disabled ? 'enable the API for the project (`gcloud services enable aiplatform.googleapis.com storage.googleapis.com --project PROJECT`), then try again' : ctx.permissionHint,
    });
  }
  const failure: HttpFailure = { kind: 'http', status, requestId, code: s.status ?? s.reason ?? null, message: s.message };
  const fc: FailureContext = { provider: 'vertex', displayName: ctx.service, apiKeyEnv: 'GOOGLE_APPLICATION_CREDENTIALS', action: ctx.action, secrets: [] };
  return toCoreError(failure, fc);
}

/**
 * Any failure of a call: llmgw errors pass through (credentials problems are raised as such),
 * the genai SDK's `ApiError` (status + JSON text of the Status) and fetch's network errors are
 * mapped; a cancelled signal is an interruption.
 */
export function googleError(err: unknown, ctx: GoogleContext, signal?: AbortSignal): unknown {
  if (isLlmgwError(err)) return err;
  if (signal?.aborted || (err instanceof Error && err.name === 'AbortError' && signal !== undefined)) {
    return new InterruptedError('provider_request_aborted', `Stopped while waiting for ${ctx.service} to ${ctx.action}.`, { hint: 'run the command again; it picks up where it stopped' });
  }
  if (err instanceof Error && err.name === 'ApiError' && typeof (err as { status?: unknown }).status === 'number') {
    return googleHttpError((err as unknown as { status: number }).status, err.message, ctx);
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return toCoreError({ kind: 'timeout' }, { provider: 'vertex', displayName: ctx.service, apiKeyEnv: '', action: ctx.action, secrets: [] });
  }
  if (err instanceof TypeError || (err instanceof Error && /fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket/i.test(`${err.message} ${String((err as { cause?: unknown }).cause)}`))) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return toCoreError({ kind: 'connection', message: cause ?? err.message }, { provider: 'vertex', displayName: ctx.service, apiKeyEnv: '', action: ctx.action, secrets: [] });
  }
  return err;
}
