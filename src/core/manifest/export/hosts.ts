import type { ProviderType } from '../provider-types.js';

/**
 * One meaning of `baseUrl` for every export: the API root as the provider's official SDK takes it
 * (`https://api.together.xyz/v1`, `https://<resource>.openai.azure.com`). Each gateway prefixes
 * its own paths to a host of its own shape; these tables turn the manifest's root into that
 * shape, read from each gateway's source (Portkey `src/providers/<name>/api.ts` getBaseURL +
 * getEndpoint; LiteLLM's provider configs).
 */

const same = (b: string): string => b;
const withoutV1 = (b: string): string => b.replace(/\/v1$/, '');

/** Portkey `custom_host` for a provider root: Portkey appends its endpoint path (e.g. `/v1/chat/completions` for Together). */
const PORTKEY_HOST: Record<ProviderType, (base: string) => string> = {
  openai: same, // base https://api.openai.com/v1, endpoint /chat/completions
  azure: (b) => `${b}/openai`, // base https://<resource>.openai.azure.com/openai, endpoint /deployments/<id>/chat/completions
  together: withoutV1, // base https://api.together.xyz, endpoint /v1/chat/completions
  fireworks: same, // base https://api.fireworks.ai/inference/v1, endpoint /chat/completions
  mistral: same, // base https://api.mistral.ai/v1
  vertex: same, // base https://<region>-aiplatform.googleapis.com
  bedrock: same, // base https://bedrock-runtime.<region>.amazonaws.com
  openrouter: withoutV1, // base https://openrouter.ai/api, endpoint /v1/chat/completions
  anthropic: (b) => `${b}/v1`, // base https://api.anthropic.com/v1, endpoint /messages
  gemini: same, // base https://generativelanguage.googleapis.com, endpoint /v1beta/models/…
  'openai-compatible': same, // exported as Portkey's openai provider
};

export function portkeyCustomHost(type: ProviderType, baseUrl: string): string {
  return PORTKEY_HOST[type](trimSlash(baseUrl));
}

/**
 * LiteLLM `api_base` for a provider root. LiteLLM's OpenAI-compatible providers take the root with
 * `/v1` as the SDKs do, Azure the resource endpoint, Anthropic the host (it appends
 * `/v1/messages`). Undefined where LiteLLM's `api_base` means something else (Vertex and Gemini
 * take a full URL), so the export warns instead of writing a wrong one.
 */
export function liteLLMApiBase(type: ProviderType, baseUrl: string): string | undefined {
  if (type === 'vertex' || type === 'gemini' || type === 'bedrock') return undefined;
  return trimSlash(baseUrl);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
