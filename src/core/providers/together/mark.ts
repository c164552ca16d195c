/**
 * Together keeps no metadata on a job, and no idempotency key on create; what it keeps and lists
 * is the suffix (also part of the output model name). llmgw ends the suffix with the ledger id, so
 * a create whose answer was lost can be found again by that mark, never by creation time.
 */

/** Together's suffix limit. */
export const SUFFIX_LIMIT = 40;
/** `lj_` and 20 hex digits (`newLedgerId` in the ledger). */
export const LEDGER_ID_LENGTH = 23;
/** What is left for the user's own suffix: the limit, less the ledger id and its hyphen. */
export const USER_SUFFIX_LIMIT = SUFFIX_LIMIT - LEDGER_ID_LENGTH - 1;

/** The suffix sent on create: the user's, then the ledger id. */
export function markedSuffix(userSuffix: string | undefined, ledgerId: string): string {
  return userSuffix ? `${userSuffix}-${ledgerId}` : ledgerId;
}

/** Only letters and digits, lowercased: a mark still matches if Together normalises separators or case. */
const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Whether a job's suffix (or, when the list omits it, its output model name) carries the mark. */
export function carriesMark(job: { suffix?: string | null | undefined; model_output_name?: string | null | undefined }, ledgerId: string): boolean {
  const mark = squash(ledgerId);
  if (job.suffix) return squash(job.suffix).endsWith(mark);
  return job.model_output_name ? squash(job.model_output_name).includes(mark) : false;
}

/** The user's part of a marked suffix (what llmgw shows as the job's suffix). */
export function userSuffixOf(suffix: string | null | undefined): string | null {
  if (!suffix) return null;
  const m = /^(?:(.*)-)?lj_[0-9a-f]{20}$/.exec(suffix);
  if (!m) return suffix;
  return m[1] ?? null;
}
