import { collectPages } from '../../../core/providers/pages.js';
import type { CommandContext } from '../../command.js';
import { namedJob, openLedger, orUnknown, type ProviderOpts } from './context.js';
import { eventView, renderEvent } from './render.js';

interface EventsOpts extends ProviderOpts {
  limit?: number;
  all?: boolean;
}

const PAGE = 100;

/** `tune events <job>`: the newest `--limit` events (or `--all`), printed oldest first. */
export async function run(ctx: CommandContext, args: string[], opts: EventsOpts): Promise<number> {
  const name = args[0] ?? '';
  const { jobId, provider } = await namedJob(ctx, openLedger(ctx, opts), name, opts);
  const want = opts.all ? Infinity : (opts.limit ?? 20);
  const signal = ctx.io.signal;
  const load = (after: string | undefined) => orUnknown(name, provider.listEvents(jobId, { after, limit: Math.min(PAGE, want) }, { signal }));
  const events = await collectPages(load, { what: `the events of job ${jobId}`, max: want, signal, onWarning: (m) => ctx.out.warn(m) });
  events.reverse();
  if (ctx.out.json) ctx.out.printJson({ jobId, events: events.map(eventView) });
  else if (events.length === 0) ctx.out.info(`Job ${jobId} has no events yet.`);
  else ctx.out.print(events.map((e) => renderEvent(e, ctx.out.c)).join('\n'));
  return 0;
}
