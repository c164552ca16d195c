import { UsageError } from '../../../core/errors.js';
import { manifestHistory, updateManifest } from '../../../core/manifest/store.js';
import { targetsAt } from '../../../core/manifest/history.js';
import { restoreTargets, rollback } from '../../../core/manifest/transitions.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, writeOptions, type WriteOpts } from './shared.js';
import { renderWrite, writeData } from './write.render.js';

interface Opts extends WriteOpts {
  to?: number;
}

/** `llmgw models rollback <alias> [--to REVISION]`: always a new revision, never a rewrite of history. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = ''] = args;
  const path = manifestPath(ctx, opts);
  const history = opts.to === undefined ? [] : await manifestHistory(path);
  const result = await updateManifest(writeOptions(ctx, path, opts), (m) => {
    if (opts.to === undefined) return rollback(m, alias);
    const targets = opts.to <= m.revision ? targetsAt(history, alias, opts.to) : undefined;
    if (!targets) {
      throw new UsageError('revision_not_in_history', `The history log has no state of alias "${alias}" at revision ${opts.to} (the manifest is at revision ${m.revision}).`, {
        hint: `list the alias's revisions with \`llmgw models show ${alias} --history 50\``,
      });
    }
    return restoreTargets(m, alias, targets);
  });
  const data = writeData(displayPath(ctx, path), result);
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderWrite(ctx.out.c, data));
  return 0;
}
