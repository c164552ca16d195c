/**
 * Azure OpenAI chat completions for `llmgw eval`, through the SDK's `AzureOpenAI` client:
 * `POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…`. The model a
 * candidate names is the deployment (a fine-tune serves only once deployed). Key or Microsoft
 * Entra ID token, as for fine-tuning.
 */
import { AzureOpenAI } from 'openai';
import { ConfigError } from '../../errors.js';
import { CompatibleChatClient, type CompatibleSpec } from '../../inference/openai-compatible.js';
import type { InferenceClient, InferenceFactory, InferenceSettings } from '../../inference/types.js';
import { AZURE_DEFAULT_API_VERSION } from './capabilities.js';

const SPEC: CompatibleSpec = {
  provider: 'azure',
  displayName: 'Azure OpenAI',
  apiKeyEnv: 'AZURE_OPENAI_API_KEY',
  defaultBaseUrl: '',
  maxTokensField: 'max_completion_tokens',
};

function create(deployment: string, settings: InferenceSettings): InferenceClient {
  const credential = settings.apiKey ?? settings.token;
  if (!credential) {
    throw new ConfigError('missing_api_key', 'No Azure OpenAI credentials: neither AZURE_OPENAI_API_KEY nor AZURE_OPENAI_AD_TOKEN is set.', {
      hint: 'set AZURE_OPENAI_API_KEY to a key of the resource (or AZURE_OPENAI_AD_TOKEN to a Microsoft Entra ID token)',
    });
  }
  if (!settings.baseUrl) {
    throw new ConfigError('missing_endpoint', 'No Azure OpenAI endpoint: AZURE_OPENAI_ENDPOINT is not set, and Azure has no default.', {
      hint: 'set AZURE_OPENAI_ENDPOINT to your resource, e.g. https://my-resource.openai.azure.com',
    });
  }
  const client = new AzureOpenAI({
    ...(settings.apiKey ? { apiKey: settings.apiKey } : { azureADTokenProvider: () => Promise.resolve(credential) }),
    baseURL: `${settings.baseUrl.replace(/\/+$/, '')}/openai`,
    apiVersion: settings.apiVersion ?? AZURE_DEFAULT_API_VERSION,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: 'off',
    ...(settings.fetch && { fetch: settings.fetch }),
    ...(settings.headers && { defaultHeaders: settings.headers }),
    ...(settings.maxRetries !== undefined && { maxRetries: settings.maxRetries }),
    ...(settings.timeoutMs !== undefined && { timeout: settings.timeoutMs }),
  });
  return new CompatibleChatClient(SPEC, deployment, client, settings);
}

export const inference: InferenceFactory = { name: 'azure', displayName: 'Azure OpenAI', create };
