/**
 * The validation profile of each provider, by the name `dataset validate --target` and
 * `tune start --provider` use. A provider whose fine-tuning API is gone is named with the reason.
 */
import { UsageError } from '../../errors.js';
import { openaiProfile, type ValidationProfile } from '../profile.js';
import { azureProfile } from './azure.js';
import { fireworksProfile } from './fireworks.js';
import { togetherProfile } from './together.js';
import { bedrockModelProfile, bedrockProfile } from '../../providers/bedrock/profile.js';
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

/** Providers whose rules depend on the base model (`--target bedrock --model ID`): the profile for one model. */
const FOR_MODEL: Record<string, (model: string) => ValidationProfile> = {
  bedrock: bedrockModelProfile,
};

export const PROFILE_NAMES: readonly string[] = Object.keys(PROFILES);

/** Whether a target's rules depend on the base model, so `--model` names one of that provider's models. */
export function profileTakesModel(name: string): boolean {
  return Object.hasOwn(FOR_MODEL, name);
}

// One profile object per target and model, so a worker's rebuild is recognised as the same (isRegisteredProfile).
const byModel = new Map<string, ValidationProfile>();

/**
 * The profile for a target or provider name; an unknown or retired name is a usage error naming
 * the known ones. With `model`, a provider whose rules depend on the model (Bedrock) applies that
 * model's rules, and a model it cannot tune is a usage error naming those it can; other profiles
 * ignore the model.
 */
export function getProfile(name: string, model?: string): ValidationProfile {
  const forModel = model !== undefined && Object.hasOwn(FOR_MODEL, name) ? FOR_MODEL[name] : undefined;
  if (forModel && model !== undefined) {
    const key = `${name}\u0000${model}`;
    let built = byModel.get(key);
    if (!built) {
      built = forModel(model);
      byModel.set(key, built);
    }
    return built;
  }
  const profile = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined;
  if (profile) return profile;
  const retired = Object.hasOwn(RETIRED, name) ? RETIRED[name] : undefined;
  const hint = `use one of: ${PROFILE_NAMES.join(', ')}`;
  if (retired) throw new UsageError('target_retired', `There is no ${name} profile: ${retired}.`, { hint });
  throw new UsageError('unknown_target', `There is no validation profile called "${name}".`, { hint });
}
