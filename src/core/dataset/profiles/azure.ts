import type { ValidationProfile } from '../profile.js';
import { openaiProfile } from '../profile.js';

/**
 * Azure OpenAI trains on OpenAI's formats (chat and, for DPO, preference pairs) with OpenAI's
 * example rules, at least 10 examples, and files up to 512 MB through its Files API.
 */
export const azureProfile: ValidationProfile = {
  ...openaiProfile,
  name: 'azure',
  maxFileBytes: 512 * 1024 ** 2,
};
