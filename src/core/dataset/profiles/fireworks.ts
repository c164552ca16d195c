import type { ValidationProfile } from '../profile.js';
import { checkChat, type ChatRules } from './chat-rules.js';

/**
 * Fireworks AI supervised fine-tuning: OpenAI-style chat examples, at least 3 and at most
 * 3 million; roles system/user/assistant with an optional system message that must come first;
 * content a string. Files under 150 MB (the one-call dataset upload llmgw uses).
 */
const rules: ChatRules = { provider: 'Fireworks', roles: ['system', 'user', 'assistant'], systemFirst: true, textOnly: true };

export const fireworksProfile: ValidationProfile = {
  name: 'fireworks',
  minExamples: 3,
  recommendedExamples: 50,
  maxFileBytes: 150 * 1024 ** 2 - 1,
  kinds: ['chat'],
  checkExample: (value, kind, loc) => (kind === 'chat' ? checkChat(rules, value, loc) : []),
};
