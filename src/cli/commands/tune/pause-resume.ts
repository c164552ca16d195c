/**
 * What `tune pause` and `tune resume` share. Only some providers can pause a job (their adapter
 * has `pauseJob`/`resumeJob`; the registry says which): for the others it is a usage error
 * naming the providers that can.
 */
import { UsageError } from '../../../core/errors.js';
import { fromJob } from '../../../core/jobs/submit.js';
import { listProviders } from '../../../core/providers/registry.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, projectFlags, type ProviderOpts } from './context.js';
import { jobView, renderJob } from './render.js';

export async function pauseOrResume(ctx: CommandContext, name: string, opts: ProviderOpts, verb: 'pause' | 'resume'): Promise<number> {
  const ledger = openLedger(ctx, opts);
  const { jobId, entry, provider } = await namedJob(ctx, ledger, name, opts);
  const call = verb === 'pause' ? provider.pauseJob?.bind(provider) : provider.resumeJob?.bind(provider);
  if (!call) {
    const can = listProviders().filter((p) => p.pauses).map((p) => p.displayName);
    throw new UsageError(`${verb}_not_supported`, `${provider.displayName} cannot ${verb} a fine-tuning job.`, {
      hint: `only ${can.join(' and ')} jobs can be paused and resumed; to stop this one for good, run \`llmgw tune cancel ${name}${projectFlags(opts)}\``,
    });
  }
  const job = await orUnknown(name, call(jobId, { signal: ctx.io.signal }));
  const updated = entry ? await ledger.update(entry.ledgerId, fromJob(job)) : undefined;
  const view = jobView(job, updated ?? entry);
  if (ctx.out.json) ctx.out.printJson({ job: view });
  else {
    ctx.out.print(renderJob(view, ctx.out.c));
    if (verb === 'pause') ctx.out.info(`Paused; go on with \`llmgw tune resume ${name}${projectFlags(opts)}\`.`);
  }
  return 0;
}
