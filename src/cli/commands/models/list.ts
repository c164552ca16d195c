import { loadManifest } from '../../../core/manifest/store.js';
import { resolveAlias } from '../../../core/manifest/resolve.js';
import type { TargetRole } from '../../../core/manifest/schema.js';
import type { CommandContext } from '../../command.js';
import { targetLines } from './render.js';
import { displayPath, manifestPath, type ManifestOpts } from './shared.js';

export interface ListData {
  manifest: string;
  revision: number;
  updatedAt: string | null;
  models: number;
  aliases: { name: string; fallbacks: string[]; targets: { id: string; model: string; role: TargetRole; weight: number; share: number; priority: number }[] }[];
}

/** `llmgw models list`. */
export async function run(ctx: CommandContext, _args: string[], opts: ManifestOpts): Promise<number> {
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  const data: ListData = {
    manifest: displayPath(ctx, path),
    revision: m.revision,
    updatedAt: m.updatedAt ?? null,
    models: Object.keys(m.models).length,
    aliases: Object.keys(m.aliases)
      .sort()
      .map((name) => {
        const r = resolveAlias(m, name);
        return {
          name,
          fallbacks: m.aliases[name]?.fallbacks ?? [],
          targets: [...r.targets, ...r.idle].map((t) => ({ id: t.id, model: t.model, role: t.role, weight: t.weight, share: t.share, priority: t.priority })),
        };
      }),
  };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderList(ctx.out.c, data));
  return 0;
}

export function renderList(c: CommandContext['out']['c'], d: ListData): string {
  const head = `${d.manifest} revision ${d.revision}: ${d.aliases.length} alias${d.aliases.length === 1 ? '' : 'es'}, ${d.models} model${d.models === 1 ? '' : 's'}`;
  if (d.aliases.length === 0) return `${head}\n  nothing registered yet: llmgw models register ALIAS MODEL_ID`;
  const blocks = d.aliases.map((a) => [c.bold(a.name) + (a.fallbacks.length ? c.dim(`  falls back to ${a.fallbacks.join(', ')}`) : ''), ...targetLines(c, a.targets)].join('\n'));
  return [head, '', blocks.join('\n\n')].join('\n');
}
