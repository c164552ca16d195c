/**
 * The checks `tune start` adds to the provider pre-flight (`providers/preflight.ts`): the seed
 * range, the metadata key llmgw reserves for itself, and the provider's metadata length limits.
 */
import { UsageError } from '../errors.js';
import type { ProviderCapabilities } from '../providers/types.js';
import { LEDGER_METADATA_KEY } from '../providers/lookup.js';

// Also exported here: the provider pre-flight imports it from this module.
export { LEDGER_METADATA_KEY };

export function checkStartExtras(req: { seed?: number | undefined; metadata: Record<string, string> }, caps: ProviderCapabilities): void {
  if (req.seed !== undefined && (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 2147483647)) {
    throw new UsageError('invalid_seed', `--seed ${req.seed} is not a whole number from 0 to 2147483647.`, { hint: 'pass --seed with a whole number in that range' });
  }
  const limits = caps.metadataLimits;
  for (const [key, value] of Object.entries(req.metadata)) {
    if (key === LEDGER_METADATA_KEY) {
      throw new UsageError('reserved_metadata_key', `--metadata ${key}=… is reserved: llmgw tags each job with it to find the job again.`, { hint: 'use another key name' });
    }
    if (limits && (key.length > limits.keyMaxLength || value.length > limits.valueMaxLength)) {
      throw new UsageError('metadata_too_long', `--metadata ${key.slice(0, 40)}=… is too long: keys take at most ${limits.keyMaxLength} characters and values ${limits.valueMaxLength}.`, {
        hint: 'shorten the key or the value',
      });
    }
  }
}
