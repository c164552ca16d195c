import { fromJob } from '../../../core/jobs/submit.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, type ProviderOpts } from './context.js';
import { jobView, renderJob } from './render.js';

/** `tune status <job>`: the provider's view of a job, merged with (and saved to) the ledger. */
export async function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  const name = args[0] ?? '';
  const ledger = openLedger(ctx, opts);
  const { jobId, entry, provider } = await namedJob(ctx, ledger, name, opts);
  const job = await orUnknown(name, provider.getJob(jobId));
  const updated = entry ? await ledger.update(entry.ledgerId, fromJob(job)) : undefined;
  const view = jobView(job, updated ?? entry);
  if (ctx.out.json) ctx.out.printJson({ job: view });
  else ctx.out.print(renderJob(view, ctx.out.c));
  return 0;
}
