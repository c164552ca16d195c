/**
 * The providers `llmgw eval` can ask for answers, each loaded on demand. The fine-tuning
 * providers keep their names, credentials and endpoint variables (so `openai:…` in an eval uses
 * the same key as `tune start --provider openai`); OpenRouter is inference only.
 */
import { UsageError } from '../errors.js';
import { createCompatible, type CompatibleSpec } from './openai-compatible.js';
import type { InferenceFactory } from './types.js';

export interface InferenceEntry {
  displayName: string;
  /** Environment variables read for this provider (key, endpoint, and extras such as a region). */
  env: { apiKey?: string; baseUrl?: string; token?: string; apiVersion?: string; location?: string; project?: string };
  /** Whether the key comes from a credential chain (Google ADC, AWS) rather than one variable. */
  credentialChain?: boolean;
  /** The inference API lives elsewhere than the fine-tuning API, so the fine-tuning base URL setting does not apply. */
  ownBaseUrl?: boolean;
  load(): Promise<InferenceFactory>;
}

function compatible(spec: CompatibleSpec): () => Promise<InferenceFactory> {
  return () => Promise.resolve({ name: spec.provider, displayName: spec.displayName, create: (model, settings) => createCompatible(spec, model, settings) });
}

const openaiLike = (provider: string, displayName: string, apiKeyEnv: string, defaultBaseUrl: string, maxTokensField: CompatibleSpec['maxTokensField'] = 'max_tokens'): CompatibleSpec => ({
  provider,
  displayName,
  apiKeyEnv,
  defaultBaseUrl,
  maxTokensField,
});

const entries = {
  openai: {
    displayName: 'OpenAI',
    env: { apiKey: 'OPENAI_API_KEY', baseUrl: 'OPENAI_BASE_URL' },
    load: compatible(openaiLike('openai', 'OpenAI', 'OPENAI_API_KEY', 'https://api.openai.com/v1', 'max_completion_tokens')),
  },
  azure: {
    displayName: 'Azure OpenAI',
    env: { apiKey: 'AZURE_OPENAI_API_KEY', baseUrl: 'AZURE_OPENAI_ENDPOINT', apiVersion: 'OPENAI_API_VERSION', token: 'AZURE_OPENAI_AD_TOKEN' },
    load: async () => (await import('../providers/azure/inference.js')).inference,
  },
  together: {
    displayName: 'Together AI',
    env: { apiKey: 'TOGETHER_API_KEY', baseUrl: 'TOGETHER_BASE_URL' },
    load: compatible(openaiLike('together', 'Together AI', 'TOGETHER_API_KEY', 'https://api.together.xyz/v1')),
  },
  fireworks: {
    displayName: 'Fireworks AI',
    env: { apiKey: 'FIREWORKS_API_KEY', baseUrl: 'FIREWORKS_INFERENCE_BASE_URL' },
    ownBaseUrl: true,
    load: compatible(openaiLike('fireworks', 'Fireworks AI', 'FIREWORKS_API_KEY', 'https://api.fireworks.ai/inference/v1')),
  },
  openrouter: {
    displayName: 'OpenRouter',
    env: { apiKey: 'OPENROUTER_API_KEY', baseUrl: 'OPENROUTER_BASE_URL' },
    load: compatible(openaiLike('openrouter', 'OpenRouter', 'OPENROUTER_API_KEY', 'https://openrouter.ai/api/v1')),
  },
  vertex: {
    displayName: 'Vertex AI',
    env: { apiKey: 'GOOGLE_API_KEY', baseUrl: 'GOOGLE_VERTEX_BASE_URL', project: 'GOOGLE_CLOUD_PROJECT', location: 'GOOGLE_CLOUD_LOCATION' },
    credentialChain: true,
    load: async () => (await import('../providers/vertex/inference.js')).inference,
  },
  bedrock: {
    displayName: 'Amazon Bedrock',
    env: { baseUrl: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME', location: 'AWS_REGION' },
    credentialChain: true,
    load: async () => (await import('../providers/bedrock/inference.js')).inference,
  },
} satisfies Record<string, InferenceEntry>;

const all: Record<string, InferenceEntry> = entries;

export function inferenceProviders(): string[] {
  return Object.keys(all);
}

export function inferenceEntry(name: string): InferenceEntry | undefined {
  return Object.hasOwn(all, name) ? all[name] : undefined;
}

export async function inferenceFactory(name: string): Promise<InferenceFactory> {
  const entry = inferenceEntry(name);
  if (!entry) {
    throw new UsageError('unknown_provider', `llmgw cannot ask "${name}" for answers: it is not a provider it knows.`, { hint: `use one of: ${inferenceProviders().join(', ')}` });
  }
  return entry.load();
}
