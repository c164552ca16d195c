import { UsageError } from '../../../core/errors.js';
import { fromJob } from '../../../core/jobs/submit.js';
import type { CommandContext } from '../../command.js';
import { openLedger, openProvider, orUnknown, projectFlags, type ProviderOpts } from './context.js';
import { startCommand } from './creating.js';
import { jobView, renderJob } from './render.js';

interface ResolveOpts extends ProviderOpts {
  notCreated?: boolean;
}

/**
 * `tune resolve <lj_…> <job>` / `--not-created`: settles by hand a ledger entry whose create
 * llmgw could not confirm or rule out (exit 4, `job_create_undecided`): it is that provider job,
 * or the provider has none (then `tune start` creates it again).
 */
export async function run(ctx: CommandContext, args: string[], opts: ResolveOpts): Promise<number> {
  const [ledgerId = '', jobId] = args;
  if ((jobId === undefined) === (opts.notCreated !== true)) {
    throw new UsageError('resolve_needs_one', 'Name the provider job that belongs to the entry, or pass --not-created, but not both.', {
      hint: `e.g. \`llmgw tune resolve ${ledgerId || 'lj_…'} ftjob-abc123\` or \`llmgw tune resolve ${ledgerId || 'lj_…'} --not-created\``,
    });
  }
  const ledger = openLedger(ctx, opts);
  const entry = await ledger.find(ledgerId);
  if (!entry || entry.ledgerId !== ledgerId) throw new UsageError('job_not_found', `There is no ledger entry "${ledgerId}".`, { hint: `see the entries with \`llmgw tune list${projectFlags(opts)}\`` });
  if (entry.providerJobId) {
    throw new UsageError('already_resolved', `${ledgerId} already holds job ${entry.providerJobId}; nothing to resolve.`, { hint: `follow it with \`llmgw tune watch ${entry.providerJobId}${projectFlags(opts)}\`` });
  }
  if (jobId === undefined) {
    const updated = (await ledger.update(ledgerId, { state: 'create_failed', creator: null, error: { code: 'not_created', message: 'Marked as never created (tune resolve --not-created).' } })) ?? entry;
    const again = startCommand(ctx, ledger, updated, projectFlags(opts));
    if (ctx.out.json) ctx.out.printJson({ job: jobView(undefined, updated), startAgain: again });
    else ctx.out.print(`${ledgerId} is marked as never created. Start it again with:\n  ${again}`);
    return 0;
  }
  const holder = (await ledger.jobs()).find((j) => j.providerJobId === jobId);
  if (holder) throw new UsageError('job_already_held', `Job ${jobId} already belongs to ledger entry ${holder.ledgerId}.`, { hint: `name another job, or pass --not-created` });
  const provider = await openProvider(ctx, entry.provider, opts);
  const job = await orUnknown(jobId, provider.getJob(jobId, { signal: ctx.io.signal }));
  if (job.baseModel !== entry.baseModel) {
    throw new UsageError('job_does_not_match', `Job ${jobId} trains ${job.baseModel}, but ${ledgerId} asked for ${entry.baseModel}.`, { hint: 'name the job that was created for this entry, or pass --not-created' });
  }
  const updated = (await ledger.update(ledgerId, fromJob(job))) ?? entry;
  const view = jobView(job, updated);
  if (ctx.out.json) ctx.out.printJson({ job: view });
  else ctx.out.print(renderJob(view, ctx.out.c));
  return 0;
}
