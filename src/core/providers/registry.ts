/**
 * The one list of fine-tuning providers. Each entry loads its adapter on demand, so commands that
 * never talk to a provider never load an SDK. Adding a provider = a folder beside `openai/` that
 * exports `factory`, and one line here.
 */
import type { ProviderSettingSpec } from '../config/keys.js';
import { UsageError } from '../errors.js';
import type { ProviderFactory } from './types.js';
import { BEDROCK_SETTINGS } from './bedrock/settings.js';

interface ProviderEntry {
  displayName: string;
  load: () => Promise<{ factory: ProviderFactory }>;
  /** Settings only this provider has (config keys `<name>.<field>`), reaching the adapter as `ProviderSettings.extra`. */
  settings?: readonly ProviderSettingSpec[];
  /** Whether its adapter can pause and resume a running job (`pauseJob`/`resumeJob`). */
  pauses?: boolean;
}

const providers = {
  openai: { displayName: 'OpenAI', load: () => import('./openai/index.js'), pauses: true },
  azure: { displayName: 'Azure OpenAI', load: () => import('./azure/index.js'), pauses: true },
  together: { displayName: 'Together AI', load: () => import('./together/index.js') },
  fireworks: { displayName: 'Fireworks AI', load: () => import('./fireworks/index.js') },
  mistral: { displayName: 'Mistral (fine-tuning retired)', load: () => import('./mistral/index.js') },
  bedrock: { displayName: 'Amazon Bedrock', load: () => import('./bedrock/index.js'), settings: BEDROCK_SETTINGS },
  vertex: {
    displayName: 'Google Vertex AI',
    load: () => import('./vertex/index.js'),
    settings: [
      { field: 'project', kind: 'string', flag: '--project', description: 'Google Cloud project id' },
      { field: 'location', kind: 'string', env: 'GOOGLE_CLOUD_LOCATION', flag: '--location', description: 'region the tuning job runs and the model serves in, e.g. us-central1' },
      { field: 'bucket', kind: 'string', flag: '--bucket', description: 'Cloud Storage bucket (gs://BUCKET[/prefix]) training data is uploaded to' },
      { field: 'credentials', kind: 'string', env: 'GOOGLE_APPLICATION_CREDENTIALS', description: 'Google credentials file (default: Application Default Credentials)' },
      { field: 'storageEmulatorHost', kind: 'string', env: 'STORAGE_EMULATOR_HOST', description: 'a Cloud Storage emulator (host:port) used instead of Google' },
    ],
  },
} satisfies Record<string, ProviderEntry>;

export type ProviderName = keyof typeof providers;

export interface ProviderListing {
  name: string;
  displayName: string;
  settings: readonly ProviderSettingSpec[];
  pauses: boolean;
}

/** Every provider llmgw knows, in registry order, without loading any of them. */
export function listProviders(): ProviderListing[] {
  return Object.entries(providers).map(([name, entry]: [string, ProviderEntry]) => ({ name, displayName: entry.displayName, settings: entry.settings ?? [], pauses: entry.pauses === true }));
}

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(providers, name);
}

/** Loads a provider's adapter by name; an unknown name is a usage error naming the known ones. */
export async function getProviderFactory(name: string): Promise<ProviderFactory> {
  if (!isProviderName(name)) {
    const known = listProviders().map((p) => p.name).join(', ');
    throw new UsageError('unknown_provider', `There is no provider called "${name}".`, { hint: `use one of: ${known}` });
  }
  const entry: ProviderEntry = providers[name];
  return (await entry.load()).factory;
}
