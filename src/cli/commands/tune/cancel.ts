import { fromJob } from '../../../core/jobs/submit.js';
import { isTerminal } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, type ProviderOpts } from './context.js';
import { jobView, renderJob } from './render.js';

/** `tune cancel <job>`: cancels a job that is still running; a job already over is reported as it is. */
export async function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  const name = args[0] ?? '';
  const ledger = openLedger(ctx, opts);
  const { jobId, entry, provider } = await namedJob(ctx, ledger, name, opts);
  const signal = ctx.io.signal;
  const before = await orUnknown(name, provider.getJob(jobId, { signal }));
  const alreadyOver = isTerminal(before.status);
  const job = alreadyOver ? before : await provider.cancelJob(jobId, { signal });
  const updated = entry ? await ledger.update(entry.ledgerId, fromJob(job)) : undefined;
  const view = jobView(job, updated ?? entry);
  if (ctx.out.json) {
    ctx.out.printJson({ job: view, cancelled: !alreadyOver });
  } else {
    if (alreadyOver) ctx.out.info(`Job ${job.id} had already ${job.status}; nothing to cancel.`);
    ctx.out.print(renderJob(view, ctx.out.c));
  }
  return 0;
}
