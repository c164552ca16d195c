/** The OpenAI provider: `registry.ts` imports this module only when a command talks to OpenAI. */
import { ConfigError } from '../../errors.js';
import type { ProviderFactory } from '../types.js';
import { OpenAIProvider } from './provider.js';

export const factory: ProviderFactory = {
  name: 'openai',
  displayName: 'OpenAI',
  env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
  create(settings) {
    const apiKey = settings.apiKey?.trim();
    if (!apiKey) {
      throw new ConfigError('missing_api_key', 'No OpenAI API key is set, so llmgw cannot talk to OpenAI.', {
        hint: 'set OPENAI_API_KEY (or run `llmgw config set openai.apiKey …`)',
      });
    }
    return new OpenAIProvider({ ...settings, apiKey }, factory.env.apiKey);
  },
};
