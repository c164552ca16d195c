import type { CommandContext } from '../../command.js';
import { providerEnvNames, settingEntry } from '../../config/entries.js';
import { loadConfigLayers } from '../../config/layers.js';
import { renderList } from './render.js';

/** `llmgw config list`: every key with a value from any layer, secrets masked. */
export async function run(ctx: CommandContext): Promise<number> {
  const config = loadConfigLayers(ctx.io);
  const envs = await providerEnvNames(config.providerNames);
  const settings = config.keys.map((spec) => settingEntry(config, ctx.io.env, spec, envs)).filter((e) => e.source !== 'unset');
  const sources = config.project ? [config.project, config.user] : [config.user];
  const problems = sources.flatMap((f) => f.problems.map((p) => ({ file: f.path, ...p })));
  if (ctx.out.json) {
    ctx.out.printJson({ settings, files: { user: config.user.path, project: config.project?.path ?? null }, problems });
    return 0;
  }
  for (const p of problems) ctx.out.warn(`${p.file}: ${p.message} (ignored)`);
  ctx.out.print(renderList(settings, ctx.out.c));
  return 0;
}
