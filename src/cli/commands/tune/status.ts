import { isLlmgwError } from '../../../core/errors.js';
import { fromJob } from '../../../core/jobs/submit.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, type ProviderOpts } from './context.js';
import { jobView, renderJob } from './render.js';

/**
 * `tune status <job>`: the provider's view of a job, merged with (and saved to) the ledger. An
 * entry another process is still creating is shown as the ledger has it (`creating`).
 */
export async function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  const name = args[0] ?? '';
  const ledger = openLedger(ctx, opts);
  const named = await namedJob(ctx, ledger, name, opts).catch(async (err: unknown) => {
    const entry = isLlmgwError(err) && err.code === 'job_being_created' ? await ledger.find(name) : undefined;
    if (!entry) throw err;
    const view = jobView(undefined, entry);
    if (ctx.out.json) ctx.out.printJson({ job: view });
    else ctx.out.print(renderJob(view, ctx.out.c));
    return undefined;
  });
  if (!named) return 0;
  const { jobId, entry, provider } = named;
  const job = await orUnknown(name, provider.getJob(jobId, { signal: ctx.io.signal }));
  const updated = entry ? await ledger.update(entry.ledgerId, fromJob(job)) : undefined;
  const view = jobView(job, updated ?? entry);
  if (ctx.out.json) ctx.out.printJson({ job: view });
  else ctx.out.print(renderJob(view, ctx.out.c));
  return 0;
}
