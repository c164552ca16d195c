/**
 * The gateways `llmgw eval --via` can send every request through. LiteLLM speaks OpenAI's chat
 * completions under its own key (`LITELLM_API_KEY`, the proxy's master or a virtual key), so a
 * refusal names that key, not the provider's. Portkey forwards the provider's own key, so its
 * requests keep the provider's client and messages.
 */
import { ProviderAuthError, UsageError } from '../errors.js';
import { ProviderRejectedError } from '../providers/errors.js';
import { createCompatible, type CompatibleSpec } from './openai-compatible.js';
import type { CallOptions, InferenceClient, InferenceRequest, InferenceResponse, InferenceSettings } from './types.js';

export const LITELLM: CompatibleSpec = {
  provider: 'litellm',
  displayName: 'LiteLLM',
  apiKeyEnv: 'LITELLM_API_KEY',
  defaultBaseUrl: 'http://localhost:4000/v1',
  maxTokensField: 'max_completion_tokens',
  // A proxy started without a master key takes any key.
  keyOptional: true,
};

class LiteLLMClient implements InferenceClient {
  readonly provider: string;
  readonly endpoint: string;

  constructor(
    readonly model: string,
    private readonly inner: InferenceClient,
  ) {
    this.provider = inner.provider;
    this.endpoint = inner.endpoint;
  }

  async complete(request: InferenceRequest, opts?: CallOptions): Promise<InferenceResponse> {
    try {
      return await this.inner.complete(request, opts);
    } catch (err) {
      // The key is the proxy's, which llmgw's config does not hold: the fix is the variable alone.
      if (err instanceof ProviderAuthError) {
        throw new ProviderAuthError(err.code, err.message, { provider: err.provider, status: err.status, requestId: err.requestId, retryable: false, hint: 'set LITELLM_API_KEY to a key the LiteLLM proxy accepts (its master key or a virtual key allowed this model)' });
      }
      // LiteLLM answers a model_name its config lacks with a 400, "Invalid model name passed in model=…".
      if (err instanceof ProviderRejectedError && err.status === 400 && /invalid model name/i.test(err.message)) {
        throw new UsageError('gateway_model_not_found', `The LiteLLM proxy serves no model named "${this.model}": its config has no such model_name (HTTP 400).`, {
          hint: 'export the manifest again (llmgw models export --to litellm), load it into the proxy, and run the eval again; or drop the candidate',
        });
      }
      throw err;
    }
  }
}

export function createLiteLLM(model: string, settings: InferenceSettings): InferenceClient {
  return new LiteLLMClient(model, createCompatible(LITELLM, model, settings));
}
