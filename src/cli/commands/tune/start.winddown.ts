/**
 * A provider that stops taking new fine-tuning jobs on a known day (OpenAI: 2027-01-06).
 * `tune start` says so before reading or uploading anything: a warning before the day, a usage
 * error (exit 2) from it on, both naming the providers that train on the same data. The date is
 * read from the io seam's clock, so tests set it.
 */
import { UsageError } from '../../../core/errors.js';
import { getProfile, PROFILE_NAMES } from '../../../core/dataset/profiles/index.js';
import type { DatasetKind } from '../../../core/dataset/kinds.js';
import type { FineTuningProvider, TrainingMethod } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';

const KIND: Partial<Record<TrainingMethod, DatasetKind>> = { supervised: 'chat', dpo: 'preference' };
const DAY_MS = 86_400_000;

export function checkWindDown(ctx: CommandContext, provider: FineTuningProvider, method: TrainingMethod): void {
  const end = provider.capabilities.newJobsEnd;
  if (!end) return;
  const endsAt = Date.parse(`${end.date}T00:00:00Z`);
  const now = ctx.io.now();
  const others = alternatives(provider.name, method);
  const instead = others.length > 0 ? `train the same data on ${others.map((p) => `--provider ${p}`).join(', ')}` : `no other provider llmgw drives offers ${method} fine-tuning`;
  if (now >= endsAt) {
    throw new UsageError('provider_closed_to_new_jobs', `${provider.displayName} takes no new fine-tuning jobs since ${end.date}: ${end.why}. Nothing was uploaded.`, { hint: instead });
  }
  const days = Math.ceil((endsAt - now) / DAY_MS);
  ctx.out.warn(`${provider.displayName} takes no new fine-tuning jobs from ${end.date} (in ${days} day${days === 1 ? '' : 's'}): ${end.why}. After that, ${instead}.`);
}

/** Providers whose validation profile takes the kind of data this method trains on. */
function alternatives(self: string, method: TrainingMethod): string[] {
  const kind = KIND[method];
  if (!kind) return [];
  return PROFILE_NAMES.filter((name) => name !== self && getProfile(name).kinds.includes(kind));
}
