import type { CommandContext } from '../../command.js';
import { quote } from './creating.js';
import { namedJob, openLedger, orUnknown, parseDuration, projectFlags, type ProviderOpts } from './context.js';
import { followJob } from './follow.js';
import { ledgerIdOf } from './deploy.js';
import { registerFollowed } from './start.report.js';

interface WatchOpts extends ProviderOpts {
  interval?: number;
  timeout?: string;
  register?: string;
}

/**
 * `tune watch <job>`: exit 0 succeeded, 1 failed or cancelled, 5 on --timeout, 130 on Ctrl-C
 * (the job keeps running; the ledger keeps the event cursor so a resumed watch repeats nothing).
 * With `--register ALIAS` it exits 0 only with the model in the manifest, as `start --wait` does.
 */
export async function run(ctx: CommandContext, args: string[], opts: WatchOpts): Promise<number> {
  const name = args[0] ?? '';
  const ledger = openLedger(ctx, opts);
  // The deadline covers everything the watch waits for, from the first request on.
  const deadline = opts.timeout === undefined ? undefined : ctx.io.now() + parseDuration(opts.timeout, '--timeout');
  const { jobId, entry, provider } = await namedJob(ctx, ledger, name, opts, { wait: true, deadline });
  const followed = await orUnknown(
    name,
    followJob(ctx, {
      provider,
      ledger,
      jobId,
      entry,
      intervalMs: opts.interval === undefined ? undefined : opts.interval * 1000,
      deadline,
      projectFlags: projectFlags(opts),
      watchFlags: opts.register === undefined ? '' : ` --register ${quote(opts.register)}`,
      nextStep: opts.register === undefined ? undefined : null,
    }),
  );
  if (followed.exitCode !== 0 || opts.register === undefined) return followed.exitCode;
  await registerFollowed(ctx, provider, followed.job, { jobId, ledgerId: entry?.ledgerId ?? (followed.job ? ledgerIdOf(followed.job) : jobId), jobRef: entry?.ledgerId ?? name, datasetHash: entry?.training.sha256, alias: opts.register, opts, deadline });
  return 0;
}
