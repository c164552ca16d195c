import type { CommandContext } from '../../command.js';
import { providerEnvNames, requireKey, settingEntry } from '../../config/entries.js';
import { loadConfigLayers } from '../../config/layers.js';
import { describeOrigin } from './render.js';

/** `llmgw config get <key>`: the effective value on stdout (nothing when unset), its origin on stderr. */
export async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const config = loadConfigLayers(ctx.io);
  const spec = requireKey(config, args[0] ?? '');
  const envs = await providerEnvNames(spec.provider ? [spec.provider] : []);
  const entry = settingEntry(config, ctx.io.env, spec, envs);
  if (ctx.out.json) {
    ctx.out.printJson(entry);
    return 0;
  }
  if (entry.value === null) {
    ctx.out.info(`${entry.key} is not set`);
    return 0;
  }
  ctx.out.print(entry.value);
  ctx.out.info(ctx.out.ec.dim(`from ${describeOrigin(entry)}`));
  return 0;
}
