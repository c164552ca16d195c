import { UsageError } from '../../../core/errors.js';
import { PROVIDER_FACTS, setProvider, type ProviderFact, type ProviderPatch } from '../../../core/manifest/provider-set.js';
import type { ProviderEntry } from '../../../core/manifest/schema.js';
import { updateManifest } from '../../../core/manifest/store.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, writeOptions, type WriteOpts } from './shared.js';

interface Opts extends WriteOpts {
  type?: string;
  apiKeyEnv?: string;
  baseUrl?: string;
  apiVersion?: string;
  resourceName?: string;
  project?: string;
  location?: string;
  region?: string;
  unset?: string[];
}

export interface ProviderSetData {
  manifest: string;
  revision: number;
  provider: string;
  created: boolean;
  before: ProviderEntry | null;
  after: ProviderEntry;
}

/** `llmgw models provider set <key> [--type T] [--base-url …] [--resource-name …] [--api-version …] …`: a provider's connection facts, as a revision. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [key = ''] = args;
  const set: ProviderPatch['set'] = {};
  for (const field of PROVIDER_FACTS) if (opts[field] !== undefined) set[field] = opts[field];
  const unset = (opts.unset ?? []).map((f): ProviderFact => {
    if (!(PROVIDER_FACTS as readonly string[]).includes(f)) throw new UsageError('unknown_provider_field', `--unset takes one of ${PROVIDER_FACTS.join(', ')} (got "${f}").`, { hint: 'e.g. --unset baseUrl' });
    return f as ProviderFact;
  });
  if (Object.keys(set).length === 0 && unset.length === 0 && opts.type === undefined) {
    throw new UsageError('nothing_to_set', 'Say what to set: --base-url, --resource-name, --api-version, --api-key-env, --project, --location, --region or --unset FIELD.', {
      hint: `e.g. llmgw models provider set ${key || 'azure'} --resource-name acme-eu --api-version 2024-10-21`,
    });
  }
  const path = manifestPath(ctx, opts);
  const result = await updateManifest(writeOptions(ctx, path, opts), (m) => setProvider(m, key, { type: opts.type, set, unset }));
  const data: ProviderSetData = {
    manifest: displayPath(ctx, path),
    revision: result.manifest.revision,
    provider: key,
    created: result.entry.before === null,
    before: result.entry.before,
    after: result.entry.after ?? result.manifest.providers[key] as ProviderEntry,
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else {
    const facts = Object.entries(data.after).map(([k, v]) => `  ${k}: ${String(v)}`);
    ctx.out.print([`${ctx.out.c.green('✓')} ${data.created ? 'added' : 'updated'} provider ${ctx.out.c.bold(key)} (${data.manifest} revision ${data.revision})`, ...facts].join('\n'));
  }
  return 0;
}
