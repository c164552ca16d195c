import type { CommandContext } from '../../command.js';
import type { JobEvent } from '../../../core/providers/types.js';
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
  const events: JobEvent[] = [];
  let after: string | undefined;
  while (events.length < want) {
    const page = await orUnknown(name, provider.listEvents(jobId, { after, limit: Math.min(PAGE, want - events.length) }));
    events.push(...page.data);
    if (!page.hasMore || !page.nextCursor) break;
    after = page.nextCursor;
  }
  events.reverse();
  if (ctx.out.json) ctx.out.printJson({ jobId, events: events.map(eventView) });
  else if (events.length === 0) ctx.out.info(`Job ${jobId} has no events yet.`);
  else ctx.out.print(events.map((e) => renderEvent(e, ctx.out.c)).join('\n'));
  return 0;
}
