/**
 * Errors crossing a thread: a worker sends what it threw as data, and the calling thread throws
 * it again as the same class, so a user error met in a worker (bad data) keeps its code, hint and
 * exit code, and anything else stays a bug with the worker's stack.
 */
import { CheckFailedError, ConfigError, InterruptedError, UsageError } from '../errors.js';

export interface SentError {
  name: string;
  code: string | undefined;
  message: string;
  hint: string | undefined;
  stack: string | undefined;
}

/** The error classes a task may throw for the user's data or settings, by name. */
const USER_ERRORS = { UsageError, CheckFailedError, ConfigError, InterruptedError } as const;

export function sendError(err: unknown): SentError {
  const e = err instanceof Error ? err : new Error(String(err));
  const { code, hint } = e as { code?: unknown; hint?: unknown };
  return { name: e.name, code: typeof code === 'string' ? code : undefined, message: e.message, hint: typeof hint === 'string' ? hint : undefined, stack: e.stack };
}

export function receiveError(e: SentError): Error {
  const UserError = Object.hasOwn(USER_ERRORS, e.name) ? USER_ERRORS[e.name as keyof typeof USER_ERRORS] : undefined;
  if (UserError && e.code !== undefined) return new UserError(e.code, e.message, e.hint === undefined ? {} : { hint: e.hint });
  const bug = new Error(e.message);
  bug.name = e.name;
  if (e.stack !== undefined) bug.stack = e.stack;
  return bug;
}
