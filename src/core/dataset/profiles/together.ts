import type { ValidationProfile } from '../profile.js';
import { checkChat, type ChatRules } from './chat-rules.js';

/**
 * Together AI, from its SDK's file check: at least one example, files under 4.9 GiB, roles
 * system/user/assistant only, and no two messages in a row with the same role. Preference pairs
 * (DPO) use the OpenAI layout.
 */
const rules: ChatRules = { provider: 'Together', roles: ['system', 'user', 'assistant'], alternate: true };

export const togetherProfile: ValidationProfile = {
  name: 'together',
  minExamples: 1,
  recommendedExamples: 50,
  maxFileBytes: Math.floor(4.9 * 1024 ** 3),
  kinds: ['chat', 'preference'],
  checkExample: (value, kind, loc) => (kind === 'chat' ? checkChat(rules, value, loc) : []),
};
