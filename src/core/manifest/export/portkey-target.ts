import type { ProviderType } from '../provider-types.js';
import type { ResolvedTarget } from '../resolve.js';
import type { ExportWarning } from './common.js';
import { portkeyCustomHost } from './hosts.js';

/** Portkey's provider names (`VALID_PROVIDERS` in the gateway's globals). */
export const PORTKEY_PROVIDER: Record<ProviderType, string> = {
  openai: 'openai',
  azure: 'azure-openai',
  mistral: 'mistral-ai',
  together: 'together-ai',
  fireworks: 'fireworks-ai',
  vertex: 'vertex-ai',
  bedrock: 'bedrock',
  openrouter: 'openrouter',
  anthropic: 'anthropic',
  gemini: 'google',
  'openai-compatible': 'openai',
};

/**
 * Placeholders for credentials Portkey's open-source gateway cannot find itself: it has no Google
 * ADC and no AWS default chain, so the deployment fills these in like every other `${VAR}`.
 */
export const PORTKEY_VERTEX_TOKEN_ENV = 'GOOGLE_OAUTH_ACCESS_TOKEN';
const AWS_KEY_PLACEHOLDERS = { aws_access_key_id: '${AWS_ACCESS_KEY_ID}', aws_secret_access_key: '${AWS_SECRET_ACCESS_KEY}', aws_session_token: '${AWS_SESSION_TOKEN}' };

export type PortkeyNode = Record<string, unknown>;

/**
 * One Portkey target for a manifest target, or undefined when Portkey cannot call it at all
 * (reported as a warning naming the alias; the target is left out of that alias's config).
 */
export function portkeyTarget(t: ResolvedTarget, alias: string, warnings: ExportWarning[]): PortkeyNode | undefined {
  const block = (code: string, message: string): void => {
    warnings.push({ code, alias, target: t.id, message, blocking: true });
  };
  const node: PortkeyNode = { name: t.id, provider: PORTKEY_PROVIDER[t.providerType] };
  if (t.apiKeyEnv) node.api_key = `\${${t.apiKeyEnv}}`;
  node.weight = t.weight;

  switch (t.providerType) {
    case 'azure':
      // Portkey builds https://<resource_name>.openai.azure.com itself; any other endpoint is a custom host.
      if (t.baseUrl && t.baseUrl.replace(/\/+$/, '') !== `https://${t.resourceName}.openai.azure.com`) node.custom_host = portkeyCustomHost('azure', t.baseUrl);
      if (t.resourceName) node.resource_name = t.resourceName;
      else if (!t.baseUrl) block('missing_endpoint', `Azure target "${t.id}": its provider "${t.provider}" has neither resourceName nor baseUrl, so Portkey would call "undefined.openai.azure.com"; set one with \`llmgw models provider set ${t.provider} --resource-name NAME\``);
      node.deployment_id = t.deployment ?? t.providerModelId;
      if (t.apiVersion) node.api_version = t.apiVersion;
      else block('missing_api_version', `Azure target "${t.id}": its provider "${t.provider}" has no apiVersion, which Portkey sends as api-version; set it with \`llmgw models provider set ${t.provider} --api-version 2024-10-21\``);
      break;
    case 'vertex': {
      if (t.serving?.vertex) {
        // Portkey sends Gemini models to publishers/google/models/<model>:generateContent and
        // `endpoints.<id>` to the OpenAI-style route of self-deployed Model Garden endpoints;
        // neither is the generateContent route of a tuned Gemini endpoint.
        warnings.push({ code: 'target_not_expressible', alias, target: t.id, message: `alias "${alias}": Portkey cannot route the tuned Vertex endpoint of target "${t.id}" (it has no route to endpoints/<id>:generateContent); the target is left out of the Portkey config` });
        return undefined;
      }
      if (!t.apiKeyEnv) node.api_key = `\${${PORTKEY_VERTEX_TOKEN_ENV}}`;
      if (t.project) node.vertex_project_id = t.project;
      else block('missing_project', `Vertex target "${t.id}" has no project for Portkey's vertex_project_id`);
      if (t.location) node.vertex_region = t.location;
      else block('missing_location', `Vertex target "${t.id}" has no location for Portkey's vertex_region`);
      node.override_params = { model: t.providerModelId };
      break;
    }
    case 'bedrock':
      Object.assign(node, AWS_KEY_PLACEHOLDERS);
      if (t.region) node.aws_region = t.region;
      else block('missing_region', `Bedrock target "${t.id}" has no region for Portkey's aws_region`);
      // Portkey invokes /model/<url-encoded model>/converse: the deployment ARN is the model.
      node.override_params = { model: t.serving?.bedrock?.arn ?? t.providerModelId };
      break;
    default:
      node.override_params = { model: t.providerModelId };
      if (t.providerType === 'openai-compatible' && !t.baseUrl) block('missing_endpoint', `target "${t.id}": an openai-compatible provider needs a baseUrl; set it with \`llmgw models provider set ${t.provider} --base-url URL\``);
  }
  if (t.baseUrl && t.providerType !== 'azure') node.custom_host = portkeyCustomHost(t.providerType, t.baseUrl);
  if (typeof node.custom_host === 'string' && untrustedByDefault(node.custom_host)) {
    warnings.push({ code: 'custom_host_not_trusted', alias, target: t.id, message: `Portkey refuses custom_host ${node.custom_host} of target "${t.id}" (a private address) unless the gateway's TRUSTED_CUSTOM_HOSTS lists it; set TRUSTED_CUSTOM_HOSTS where the gateway runs` });
  }
  return node;
}

/** Hosts Portkey's custom-host check rejects unless TRUSTED_CUSTOM_HOSTS names them (by default it trusts localhost and 127.0.0.1). */
function untrustedByDefault(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost')) return false;
  const ip = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (ip) {
    const [a, b] = [Number(ip[1]), Number(ip[2])];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /\.(local|localdomain|internal|intranet|lan|home|corp|test)$/.test(host);
}
