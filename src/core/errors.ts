/**
 * The error tree shared by core and CLI. Every error a user can cause carries a stable `code`,
 * the exit code of the CI contract (DESIGN §4), a message (what happened and why) and a hint
 * (what to do). Anything that is not an `LlmgwError` is a bug and is reported as one.
 */

export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  auth: 3,
  provider: 4,
  timeout: 5,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetails {
  /** What to do about it, one line. */
  hint?: string;
  cause?: unknown;
}

export abstract class LlmgwError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** Stable machine-readable code, e.g. `file_not_found`. */
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = details.hint;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint ?? null, exitCode: this.exitCode };
  }
}

/** Bad flag, missing argument, missing or unreadable input file. Exit 2. */
export class UsageError extends LlmgwError {
  readonly exitCode = ExitCode.usage;
}

/** Missing or rejected credentials, broken configuration. Exit 3. */
export class ConfigError extends LlmgwError {
  readonly exitCode = ExitCode.auth;
}

/** A check ran and failed: dataset errors, failed job, invalid manifest, drifted export. Exit 1. */
export class CheckFailedError extends LlmgwError {
  readonly exitCode = ExitCode.checkFailed;
}

/** Waited for something past the caller's deadline. Exit 5. */
export class TimeoutError extends LlmgwError {
  readonly exitCode = ExitCode.timeout;
}

/** Interrupted by the user; state was saved and the operation can be resumed. Exit 130. */
export class InterruptedError extends LlmgwError {
  readonly exitCode = ExitCode.interrupted;
}

/**
 * The reader of standard output closed it (`llmgw dataset convert … -o - | head`): the reader's
 * choice, not a failure. The command stops at once and exits 0 without a report.
 */
export class OutputClosedError extends LlmgwError {
  readonly exitCode = ExitCode.ok;
  constructor() {
    super('output_closed', 'the reader of standard output closed it');
  }
}

export interface ProviderErrorDetails extends ErrorDetails {
  provider: string;
  status?: number | undefined;
  requestId?: string | undefined;
  /** Whether trying again later could help (429, 5xx, connection errors). */
  retryable: boolean;
  /** The provider's own error code, e.g. `invalid_api_key`. */
  providerCode?: string | undefined;
}

/** The facts a provider failure keeps, whichever exit code its class has. */
export interface ProviderFacts {
  provider: string;
  status: number | undefined;
  requestId: string | undefined;
  retryable?: boolean;
  providerCode?: string | undefined;
}

/** The JSON form of those facts (absent values as null), shared by every provider error class. */
export function providerFactsJson(e: ProviderFacts): Record<string, unknown> {
  const json: Record<string, unknown> = { provider: e.provider, status: e.status ?? null, requestId: e.requestId ?? null };
  if (e.retryable !== undefined) json.retryable = e.retryable;
  if ('providerCode' in e) json.providerCode = e.providerCode ?? null;
  return json;
}

/** The provider or the network failed after the SDK's retries. Exit 4. */
export class ProviderError extends LlmgwError {
  readonly exitCode = ExitCode.provider;
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly providerCode: string | undefined;

  constructor(code: string, message: string, details: ProviderErrorDetails) {
    super(code, message, details);
    this.provider = details.provider;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryable = details.retryable;
    this.providerCode = details.providerCode;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...providerFactsJson(this) };
  }
}

/** The provider rejected the credentials (401/403 on auth). Exit 3, like other configuration errors. */
export class ProviderAuthError extends ConfigError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;

  constructor(code: string, message: string, details: ProviderErrorDetails) {
    super(code, message, details);
    this.provider = details.provider;
    this.status = details.status;
    this.requestId = details.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...providerFactsJson(this) };
  }
}

export function isLlmgwError(err: unknown): err is LlmgwError {
  return err instanceof LlmgwError;
}
