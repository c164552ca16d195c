/**
 * Mistral retired its fine-tuning API (see docs/providers.md): `--provider mistral` explains
 * that and names the providers to use instead, rather than failing as an unknown name.
 */
import { UsageError } from '../../errors.js';
import type { ProviderFactory } from '../types.js';

export const factory: ProviderFactory = {
  name: 'mistral',
  displayName: 'Mistral (fine-tuning retired)',
  env: { apiKey: 'MISTRAL_API_KEY' },
  create() {
    throw new UsageError('provider_retired', 'Mistral retired its fine-tuning API (it answers 410 Gone since mid-2026), so llmgw cannot start or follow Mistral jobs.', {
      hint: 'train on --provider together or --provider fireworks (both take the same chat JSONL); fine-tuned Mistral models you already have keep serving through Mistral',
    });
  },
};
