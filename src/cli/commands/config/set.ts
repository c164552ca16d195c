import { checkValue } from '../../../core/config/keys.js';
import { maskSecret } from '../../../core/config/mask.js';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { providerEnvNames, requireKey } from '../../config/entries.js';
import { loadConfigLayers } from '../../config/layers.js';
import { resolveKey } from '../../settings.js';
import { describeOrigin } from './render.js';

/**
 * `llmgw config set <key> <value>`: stores it in the user config. A secret is allowed with a
 * warning (it sits in plain text, owner-only); it is never echoed. Says when a higher layer
 * (environment, project config) will still win over the stored value.
 */
export async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const [key = '', raw = ''] = args;
  const config = loadConfigLayers(ctx.io);
  const spec = requireKey(config, key);
  const envs = await providerEnvNames(spec.provider ? [spec.provider] : []);
  const providerEnv = spec.provider ? envs.get(spec.provider) : undefined;
  if (spec.field === 'apiVersion' && providerEnv && !providerEnv.apiVersion) {
    throw new UsageError('setting_not_supported', `${spec.provider} takes no API version, so ${key} would have no effect.`, {
      hint: 'set apiVersion only for a provider that uses one (see docs/configuration.md)',
    });
  }
  const checked = checkValue(spec, raw, config.providerNames);
  if (!checked.ok) throw new UsageError('invalid_setting_value', `Cannot set ${key}: ${checked.reason}.`, { hint: `see \`llmgw config --help\` for what ${key} takes` });

  config.store.set(key, checked.value);
  const effective = resolveKey(loadConfigLayers(ctx.io), ctx.io.env, key, providerEnv);
  const shadowedBy = effective.source === 'env' || effective.source === 'project' ? describeOrigin(effective) : null;
  const shown = spec.secret ? maskSecret(checked.value) : checked.value;
  const result = { key, value: shown, secret: spec.secret, path: config.store.path, shadowedBy };

  if (spec.secret) {
    const envName = providerEnv?.apiKey ?? 'the environment variable';
    ctx.out.warn(`${key} is stored in plain text in ${config.store.path} (readable only by you). Prefer ${envName} in the environment or your CI's secret store.`);
  }
  if (shadowedBy) ctx.out.warn(`${shadowedBy} is set and wins over the stored value.`);
  if (ctx.out.json) ctx.out.printJson(result);
  else ctx.out.print(`set ${key} = ${shown} in ${config.store.path}`);
  return 0;
}
