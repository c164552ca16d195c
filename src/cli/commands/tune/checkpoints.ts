import { collectPages } from '../../../core/providers/pages.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, type ProviderOpts } from './context.js';
import { checkpointView, renderCheckpoint } from './render.js';

/** `tune checkpoints <job>`: every checkpoint the provider keeps, newest first. */
export async function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  const name = args[0] ?? '';
  const { jobId, provider } = await namedJob(ctx, openLedger(ctx, opts), name, opts);
  const signal = ctx.io.signal;
  const load = (after: string | undefined) => orUnknown(name, provider.listCheckpoints(jobId, { after, limit: 100 }, { signal }));
  const checkpoints = await collectPages(load, { what: `the checkpoints of job ${jobId}`, signal, onWarning: (m) => ctx.out.warn(m) });
  if (ctx.out.json) ctx.out.printJson({ jobId, checkpoints: checkpoints.map(checkpointView) });
  else if (checkpoints.length === 0) ctx.out.info(`Job ${jobId} has no checkpoints (they appear as epochs finish).`);
  else ctx.out.print(checkpoints.map((cp) => renderCheckpoint(cp, ctx.out.c)).join('\n'));
  return 0;
}
