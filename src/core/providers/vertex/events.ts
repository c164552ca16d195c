/**
 * Vertex has no event list for tuning jobs, so llmgw's events are read off the job itself: when
 * it was created and started, each sub-state it was seen in (waiting for quota, processing the
 * dataset, tuning …), each completed epoch (with `step`/`total_steps`, which `tune watch` shows as
 * progress), how it ended, and the examples Vertex dropped or truncated. Every event but the
 * sub-states follows from the job alone, so a new process lists the same ids; sub-states are
 * remembered for as long as this adapter lives (one watch).
 */
import type { TuningJob } from '@google/genai';
import type { JobEvent } from '../types.js';
import { dataReport, SUB_STATES, shortState } from './mapping.js';

interface Ranked extends JobEvent {
  rank: number;
}

const SUB_ORDER = Object.keys(SUB_STATES);
const seconds = (iso: string | undefined, fallback: number): number => (iso ? Math.floor(Date.parse(iso) / 1000) : fallback);

function listLines(lines: number[], max = 20): string {
  const shown = lines.slice(0, max).join(', ');
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}

export class JobEvents {
  /** Sub-states seen per job, with the time first seen. */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The job's events, newest first. */
  list(j: TuningJob): JobEvent[] {
    const id = j.name ?? '';
    const nowS = Math.floor(this.now() / 1000);
    const updated = seconds(j.updateTime, nowS);
    const out: Ranked[] = [];
    const add = (key: string, rank: number, createdAt: number, message: string, level: JobEvent['level'] = 'info', data: Record<string, unknown> | null = null): void => {
      out.push({ id: `${id}#${key}`, rank, createdAt, level, message, type: data ? 'metrics' : 'message', data });
    };
    add('created', 0, seconds(j.createTime, nowS), `Tuning job created for ${j.baseModel ?? 'a tuned model'}.`);
    if (j.startTime) add('started', 1, seconds(j.startTime, updated), 'Job started.');

    const subs = this.seen.get(id) ?? new Map<string, number>();
    this.seen.set(id, subs);
    if (j.tuningJobState && SUB_STATES[j.tuningJobState] && !subs.has(j.tuningJobState)) subs.set(j.tuningJobState, updated);
    for (const [sub, at] of subs) add(`sub:${shortState(sub)}`, 2 + SUB_ORDER.indexOf(sub), at, `Vertex is ${SUB_STATES[sub] ?? shortState(sub)}.`);

    const hp = (j.preferenceOptimizationSpec ?? j.supervisedTuningSpec)?.hyperParameters;
    const total = hp?.epochCount === undefined ? undefined : Number(hp.epochCount);
    const done = Number(j.tuningJobMetadata?.completedEpochCount ?? 0);
    for (let n = 1; n <= done; n++) {
      const data: Record<string, unknown> = { step: n, epoch: n };
      if (total !== undefined && total > 0) data.total_steps = total;
      add(`epoch:${n}`, 10 + n, n === done ? updated : seconds(j.startTime, updated), `Epoch ${n}${total ? ` of ${total}` : ''} completed.`, 'info', data);
    }

    if (j.endTime) {
      const end = seconds(j.endTime, updated);
      add('ended', 100_000, end, endMessage(j), j.state === 'JOB_STATE_SUCCEEDED' ? 'info' : j.state === 'JOB_STATE_CANCELLED' ? 'warn' : 'error');
      const report = dataReport(j);
      if (report && report.truncatedCount > 0) {
        const where = report.truncatedLines.length > 0 ? `: line(s) ${listLines(report.truncatedLines)} of the training file` : '';
        add('truncated', 100_001, end, `Vertex truncated ${report.truncatedCount} example(s) to the model's token limit${where}.`, 'warn');
      }
      if (report && (report.droppedLines.length > 0 || report.droppedReasons.length > 0)) {
        const where = report.droppedLines.length > 0 ? ` (line(s) ${listLines(report.droppedLines)})` : '';
        add('dropped', 100_002, end, `Vertex dropped example(s)${where}: ${report.droppedReasons.join('; ') || 'no reason given'}.`, 'warn');
      }
    }
    return out.sort((a, b) => b.rank - a.rank).map(({ rank: _rank, ...e }) => e);
  }
}

function endMessage(j: TuningJob): string {
  switch (j.state) {
    case 'JOB_STATE_SUCCEEDED':
    case 'JOB_STATE_PARTIALLY_SUCCEEDED':
      return `Job ${shortState(j.state).toLowerCase().replace('_', ' ')}: tuned model ${j.tunedModel?.model ?? '(none)'}, served by ${j.tunedModel?.endpoint ?? '(no endpoint)'}.`;
    case 'JOB_STATE_CANCELLED':
      return 'Job cancelled.';
    case 'JOB_STATE_EXPIRED':
      return 'Job expired before it could run.';
    default:
      return `Job failed: ${j.error?.message ?? 'no reason given'}.`;
  }
}
