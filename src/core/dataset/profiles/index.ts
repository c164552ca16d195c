/**
 * The validation profile of each provider, by the name `dataset validate --target` and
 * `tune start --provider` use. A provider whose fine-tuning API is gone is named with the reason.
 */
import { UsageError } from '../../errors.js';
import { openaiProfile, type ValidationProfile } from '../profile.js';
import { azureProfile } from './azure.js';
import { fireworksProfile } from './fireworks.js';
import { togetherProfile } from './together.js';
import { bedrockProfile } from '../../providers/bedrock/profile.js';
import { vertexProfile } from '../../providers/vertex/profile.js';

const PROFILES: Record<string, ValidationProfile> = {
  openai: openaiProfile,
  azure: azureProfile,
  together: togetherProfile,
  fireworks: fireworksProfile,
  bedrock: bedrockProfile(),
  vertex: vertexProfile,
};

const RETIRED: Record<string, string> = {
  mistral: 'Mistral retired its fine-tuning API (it answers 410 Gone since mid-2026)',
};

export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILES);

/** The profile for a target or provider name; an unknown or retired name is a usage error naming the known ones. */
export function getProfile(name: string): ValidationProfile {
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  if (profile) return profile;
  const retired = Object.hasOwn(RETIRED, name) ? RETIRED[name] : undefined;
  const hint = `use one of: ${PROFILE_NAMES.join(', ')}`;
  if (retired) throw new UsageError('target_retired', `There is no ${name} profile: ${retired}.`, { hint });
  throw new UsageError('unknown_target', `There is no validation profile called "${name}".`, { hint });
}
