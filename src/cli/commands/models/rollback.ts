import { UsageError } from '../../../core/errors.js';
import { aliasStateAt } from '../../../core/manifest/history.js';
import { manifestHistory, updateManifest } from '../../../core/manifest/store.js';
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
  const to = opts.to;
  const result = await updateManifest(writeOptions(ctx, path, opts), async (m) => {
    if (to === undefined) return rollback(m, alias);
    // Read under the lock, so the log and the manifest are the same unit.
    const state = aliasStateAt(await manifestHistory(path), alias, to, m.revision);
    if (!state.known) {
      throw new UsageError('revision_state_unknown', `The state of alias "${alias}" at revision ${to} is not known exactly: ${state.reason}. Nothing was written.`, {
        hint: `list the revisions the log holds with \`llmgw models show ${alias} --history 50\`, and pick one of those; or roll back one step without --to`,
      });
    }
    if (!state.alias) {
      throw new UsageError('alias_not_at_revision', `Alias "${alias}" did not exist at revision ${to}, so there is nothing to restore.`, { hint: `see its revisions with \`llmgw models show ${alias} --history 50\`` });
    }
    return restoreTargets(m, alias, state.alias.targets);
  });
  const data = writeData(displayPath(ctx, path), result);
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderWrite(ctx.out.c, data));
  return 0;
}
