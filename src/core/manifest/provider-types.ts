/**
 * The provider types a manifest can route to, and what each needs to be called. Fine-tuning
 * providers (in the tune registry) and providers llmgw only routes to (off-the-shelf models) sit
 * in one table, so a target can be "our fine-tune, falling back to a hosted model". Gateway
 * names for each type live in the exporters, typed on this list so a new type cannot be missed.
 */

export const PROVIDER_TYPES = ['openai', 'azure', 'together', 'fireworks', 'mistral', 'vertex', 'bedrock', 'openrouter', 'anthropic', 'gemini', 'openai-compatible'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** How a gateway authenticates to the provider. */
export type CredentialKind =
  /** An API key read from the environment variable `apiKeyEnv` names. */
  | 'api-key'
  /** Google Application Default Credentials (no key in the manifest or the environment name). */
  | 'google-adc'
  /** The AWS default credential chain (environment, profile, SSO, instance role). */
  | 'aws-chain';

export interface ProviderTypeInfo {
  displayName: string;
  credentials: CredentialKind;
  /** The variable the provider's own SDK reads the key from: the default `apiKeyEnv`. */
  keyEnv?: string | undefined;
  /**
   * The API root as the provider's official SDK takes it (what `baseUrl` means in the manifest,
   * for every export): e.g. `https://api.together.xyz/v1`. Absent when it depends on the account
   * (Azure resource, Vertex location, Bedrock region) or must be given (openai-compatible).
   */
  defaultBaseUrl?: string | undefined;
  /** Routing needs a `baseUrl` on the provider entry. */
  needsBaseUrl?: boolean;
}

export const PROVIDER_TYPE_INFO: Record<ProviderType, ProviderTypeInfo> = {
  openai: { displayName: 'OpenAI', credentials: 'api-key', keyEnv: 'OPENAI_API_KEY', defaultBaseUrl: 'https://api.openai.com/v1' },
  azure: { displayName: 'Azure OpenAI', credentials: 'api-key', keyEnv: 'AZURE_OPENAI_API_KEY' },
  together: { displayName: 'Together AI', credentials: 'api-key', keyEnv: 'TOGETHER_API_KEY', defaultBaseUrl: 'https://api.together.xyz/v1' },
  fireworks: { displayName: 'Fireworks AI', credentials: 'api-key', keyEnv: 'FIREWORKS_API_KEY', defaultBaseUrl: 'https://api.fireworks.ai/inference/v1' },
  mistral: { displayName: 'Mistral', credentials: 'api-key', keyEnv: 'MISTRAL_API_KEY', defaultBaseUrl: 'https://api.mistral.ai/v1' },
  vertex: { displayName: 'Google Vertex AI', credentials: 'google-adc' },
  bedrock: { displayName: 'Amazon Bedrock', credentials: 'aws-chain' },
  openrouter: { displayName: 'OpenRouter', credentials: 'api-key', keyEnv: 'OPENROUTER_API_KEY', defaultBaseUrl: 'https://openrouter.ai/api/v1' },
  anthropic: { displayName: 'Anthropic', credentials: 'api-key', keyEnv: 'ANTHROPIC_API_KEY', defaultBaseUrl: 'https://api.anthropic.com' },
  gemini: { displayName: 'Google Gemini API', credentials: 'api-key', keyEnv: 'GEMINI_API_KEY', defaultBaseUrl: 'https://generativelanguage.googleapis.com' },
  'openai-compatible': { displayName: 'OpenAI-compatible server', credentials: 'api-key', needsBaseUrl: true },
};

export function isProviderType(name: string): name is ProviderType {
  return (PROVIDER_TYPES as readonly string[]).includes(name);
}

/** Whether a provider of this type authenticates with a key named by `apiKeyEnv`. */
export function usesApiKey(type: ProviderType): boolean {
  return PROVIDER_TYPE_INFO[type].credentials === 'api-key';
}
