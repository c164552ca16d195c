import type { LedgerJob } from '../../../core/jobs/ledger.js';
import { collectPages } from '../../../core/providers/pages.js';
import type { Job } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { openLedger, openProvider, providerName, type ProviderOpts } from './context.js';
import { jobView, statusColor, type JobView } from './render.js';

interface ListOpts extends ProviderOpts {
  limit?: number;
  all?: boolean;
}

/**
 * `tune list`: the provider's jobs (newest first; `--limit`, or `--all` pages), each matched with
 * its ledger entry, then ledger entries the fetched pages did not reach (their last known state).
 */
export async function run(ctx: CommandContext, _args: string[], opts: ListOpts): Promise<number> {
  const ledger = openLedger(ctx, opts);
  const provider = await openProvider(ctx, providerName(ctx, opts), opts);
  const want = opts.all ? Infinity : (opts.limit ?? 20);
  const signal = ctx.io.signal;
  let cut = false;
  const onWarning = (message: string): void => {
    cut = true;
    ctx.out.warn(message);
  };
  const jobs = await collectPages((after) => provider.listJobs({ after, limit: Math.min(100, want) }, { signal }), { what: `the jobs of ${provider.displayName}`, max: want, signal, onWarning });
  const entries = await ledger.jobs();
  const views = merge(jobs, entries);
  if (ctx.out.json) ctx.out.printJson({ provider: provider.name, complete: !cut && (opts.all === true || jobs.length < want), jobs: views });
  else ctx.out.print(renderList(views, ctx));
  return 0;
}

/** Each provider job once (whatever the provider's pages repeated), with its ledger entry, then the entries not reached. */
export function merge(jobs: Job[], entries: LedgerJob[]): JobView[] {
  const byJobId = new Map(entries.filter((e) => e.providerJobId).map((e) => [e.providerJobId as string, e]));
  const shown = new Set<string>();
  const once = new Set<string>();
  const views = jobs.filter((job) => !once.has(job.id) && once.add(job.id)).map((job) => {
    const entry = byJobId.get(job.id);
    if (entry) shown.add(entry.ledgerId);
    return jobView(job, entry);
  });
  const rest = entries.filter((e) => !shown.has(e.ledgerId)).reverse();
  return [...views, ...rest.map((e) => jobView(undefined, e))];
}

function renderList(views: JobView[], ctx: CommandContext): string {
  if (views.length === 0) return 'No jobs yet. Start one with `llmgw tune start --model BASE --train FILE`.';
  const c = ctx.out.c;
  const NOT_IN_LEDGER = '(not in ledger)';
  const rows = views.map((v) => [v.id ?? '-', v.ledgerId ?? NOT_IN_LEDGER, v.status, v.baseModel, v.fineTunedModel ?? '-', v.createdAt?.slice(0, 16).replace('T', ' ') ?? '-']);
  const header = ['JOB', 'LEDGER', 'STATUS', 'BASE MODEL', 'MODEL', 'CREATED'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Pad the plain text first, then colour it, so escape codes never skew the columns.
  const style = (cell: string, i: number): string => (i === 2 ? statusColor(c, cell) : i === 1 && cell === NOT_IN_LEDGER ? c.dim(cell) : cell);
  const line = (cells: string[], styled: boolean): string =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - cell.length);
        return (styled ? style(cell, i) : cell) + pad;
      })
      .join('  ')
      .trimEnd();
  return [c.bold(line(header, false)), ...rows.map((r) => line(r, true))].join('\n');
}
