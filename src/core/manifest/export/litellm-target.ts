import type { ProviderType } from '../provider-types.js';
import type { ResolvedTarget } from '../resolve.js';
import type { ExportWarning } from './common.js';
import { liteLLMApiBase } from './hosts.js';

/** LiteLLM's model prefix per provider type (`litellm_params.model: <prefix>/<id>`). */
export const LITELLM_PREFIX: Record<ProviderType, string> = {
  openai: 'openai',
  azure: 'azure',
  mistral: 'mistral',
  together: 'together_ai',
  fireworks: 'fireworks_ai',
  vertex: 'vertex_ai',
  bedrock: 'bedrock',
  openrouter: 'openrouter',
  anthropic: 'anthropic',
  gemini: 'gemini',
  'openai-compatible': 'openai',
};

export interface LiteLLMTarget {
  params: Record<string, unknown>;
  /** `model_info.base_model`, when known. */
  baseModel?: string | undefined;
}

/**
 * The `litellm_params` that make LiteLLM call one target: model string, credentials (an
 * `os.environ/` reference, or nothing for ADC and the AWS chain) and connection facts. Facts
 * whose absence would fail every request are reported as blocking warnings.
 */
export function liteLLMTarget(t: ResolvedTarget, alias: string, warnings: ExportWarning[]): LiteLLMTarget {
  const prefix = LITELLM_PREFIX[t.providerType];
  const block = (code: string, message: string): void => {
    warnings.push({ code, alias, target: t.id, message, blocking: true });
  };
  const params: Record<string, unknown> = {};
  const baseModel = t.baseModel ? `${prefix}/${t.baseModel}` : undefined;

  switch (t.providerType) {
    case 'azure': {
      params.model = `azure/${t.deployment ?? t.providerModelId}`;
      const apiBase = t.baseUrl ?? (t.resourceName ? `https://${t.resourceName}.openai.azure.com` : undefined);
      if (apiBase) params.api_base = liteLLMApiBase('azure', apiBase);
      else block('missing_endpoint', `Azure target "${t.id}": its provider "${t.provider}" has neither baseUrl nor resourceName, so LiteLLM has no api_base; set one with \`llmgw models provider set ${t.provider} --resource-name NAME\``);
      if (t.apiVersion) params.api_version = t.apiVersion;
      else block('missing_api_version', `Azure target "${t.id}": its provider "${t.provider}" has no apiVersion; set it with \`llmgw models provider set ${t.provider} --api-version 2024-10-21\``);
      break;
    }
    case 'vertex': {
      const endpoint = t.serving?.vertex;
      // A tuned Gemini model is called by its numeric endpoint id; LiteLLM needs the base model to shape the request.
      params.model = `vertex_ai/${endpoint ? endpoint.endpointId : t.providerModelId}`;
      if (t.project) params.vertex_project = t.project;
      else block('missing_project', `Vertex target "${t.id}" has no project (serving facts or provider "${t.provider}")`);
      if (t.location) params.vertex_location = t.location;
      else block('missing_location', `Vertex target "${t.id}" has no location (serving facts or provider "${t.provider}")`);
      if (endpoint && !t.baseModel) block('missing_base_model', `Vertex target "${t.id}" is a tuned endpoint without baseModel; LiteLLM routes a numeric endpoint id by its base model`);
      break;
    }
    case 'bedrock': {
      const deployment = t.serving?.bedrock;
      if (deployment) {
        // The base model picks LiteLLM's request format; model_id is what is invoked.
        params.model = `bedrock/${t.baseModel ?? deployment.arn}`;
        params.model_id = deployment.arn;
        if (!t.baseModel) block('missing_base_model', `Bedrock target "${t.id}" has no baseModel; LiteLLM needs \`bedrock/<base model>\` with model_id set to the deployment ARN`);
      } else {
        params.model = `bedrock/${t.providerModelId}`;
      }
      if (t.region) params.aws_region_name = t.region;
      else block('missing_region', `Bedrock target "${t.id}" has no region (serving facts or provider "${t.provider}")`);
      if (t.baseUrl) params.aws_bedrock_runtime_endpoint = t.baseUrl;
      break;
    }
    default:
      params.model = `${prefix}/${t.providerModelId}`;
      if (t.providerType === 'openai-compatible' && !t.baseUrl) block('missing_endpoint', `target "${t.id}": an openai-compatible provider needs a baseUrl; set it with \`llmgw models provider set ${t.provider} --base-url URL\``);
  }

  if (t.baseUrl && t.providerType !== 'azure' && t.providerType !== 'bedrock') {
    const apiBase = liteLLMApiBase(t.providerType, t.baseUrl);
    if (apiBase) params.api_base = apiBase;
    else warnings.push({ code: 'base_url_not_exported', alias, target: t.id, message: `LiteLLM's api_base for ${t.providerType} is a full request URL, not the API root; baseUrl of "${t.provider}" is not exported` });
  }
  // model and key first, as LiteLLM's docs write them, then the connection facts.
  const { model, ...rest } = params;
  return { params: { model, ...(t.apiKeyEnv ? { api_key: `os.environ/${t.apiKeyEnv}` } : {}), ...rest }, baseModel };
}
