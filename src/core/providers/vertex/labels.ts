/**
 * Job labels: `--metadata` pairs and llmgw's ledger id. Google's label rules: at most 64 labels;
 * keys of 1-63 characters starting with a lower-case letter, values of 0-63 characters, both only
 * lower-case letters, digits, `_` and `-` (international letters allowed).
 */
import { UsageError } from '../../errors.js';
import { LEDGER_METADATA_KEY } from '../lookup.js';

/** The label that carries the ledger id: the same key as other providers' metadata. */
export const LEDGER_LABEL = LEDGER_METADATA_KEY;

const KEY = /^\p{Ll}[\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;

/** A ledger id as a label value: lower case, anything else than letters, digits, `_`, `-` as `-`, at most 63. */
export function ledgerLabel(ledgerId: string): string {
  return ledgerId.toLowerCase().replace(/[^\p{Ll}\p{Lo}\p{N}_-]/gu, '-').slice(0, 63);
}

export function labelsFor(metadata: Record<string, string> | undefined, ledgerId: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (key === LEDGER_LABEL) continue;
    if (!KEY.test(key) || !VALUE.test(value)) {
      throw new UsageError('invalid_label', `--metadata ${key.slice(0, 63)}=${value.slice(0, 63)} cannot be a Vertex AI job label.`, {
        hint: 'label keys start with a lower-case letter; keys and values hold at most 63 lower-case letters, digits, _ and -',
      });
    }
    labels[key] = value;
  }
  if (ledgerId !== undefined) labels[LEDGER_LABEL] = ledgerLabel(ledgerId);
  return labels;
}
