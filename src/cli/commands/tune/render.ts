/** Pure renderers shared by the `tune` verbs: a job as data for `--json`, and as text. */
import type { ChalkInstance } from 'chalk';
import type { LedgerJob } from '../../../core/jobs/ledger.js';
import type { Checkpoint, Job, JobEvent } from '../../../core/providers/types.js';

/** The `--json` shape of one job (stable; documented in docs/commands/tune.md). */
export interface JobView {
  id: string | null;
  ledgerId: string | null;
  provider: string;
  status: string;
  providerStatus: string | null;
  baseModel: string;
  method: string;
  fineTunedModel: string | null;
  trainingFileId: string | null;
  validationFileId: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  trainedTokens: number | null;
  suffix: string | null;
  metadata: Record<string, string>;
  error: { code: string | null; message: string } | null;
  /** False for a provider job this project's ledger does not know. */
  inLedger: boolean;
}

const iso = (s: number | null): string | null => (s === null ? null : new Date(s * 1000).toISOString());

export function jobView(job: Job | undefined, entry: LedgerJob | undefined): JobView {
  if (!job && !entry) throw new Error('jobView needs a job or a ledger entry');
  return {
    id: job?.id ?? entry?.providerJobId ?? null,
    ledgerId: entry?.ledgerId ?? null,
    provider: job?.provider ?? entry?.provider ?? '',
    status: job?.status ?? entry?.status ?? entry?.state ?? 'unknown',
    providerStatus: job?.providerStatus ?? null,
    baseModel: job?.baseModel ?? entry?.baseModel ?? '',
    method: job?.method ?? entry?.method ?? '',
    fineTunedModel: job?.fineTunedModel ?? entry?.fineTunedModel ?? null,
    trainingFileId: job?.trainingFileId ?? entry?.training.fileId ?? null,
    validationFileId: job?.validationFileId ?? entry?.validation?.fileId ?? null,
    createdAt: job ? iso(job.createdAt) : (entry?.createdAt ?? null),
    finishedAt: job ? iso(job.finishedAt) : null,
    trainedTokens: job?.trainedTokens ?? null,
    suffix: job?.suffix ?? entry?.suffix ?? null,
    metadata: job?.metadata ?? entry?.metadata ?? {},
    error: job?.error ? { code: job.error.code, message: job.error.message } : (entry?.error ? { code: entry.error.code, message: entry.error.message } : null),
    inLedger: entry !== undefined,
  };
}

export function statusColor(c: ChalkInstance, status: string): string {
  if (status === 'succeeded') return c.green(status);
  if (status === 'failed' || status === 'cancelled' || status === 'create_failed') return c.red(status);
  return c.cyan(status);
}

export function renderJob(v: JobView, c: ChalkInstance): string {
  const lines = [
    `${c.bold(v.id ?? '(not created)')}  ${statusColor(c, v.status)}${v.providerStatus && v.providerStatus !== v.status ? ` (${v.providerStatus})` : ''}`,
    `  ledger id      ${v.ledgerId ?? c.dim('not in this project\'s ledger')}`,
    `  provider       ${v.provider}`,
    `  base model     ${v.baseModel}  (${v.method})`,
  ];
  if (v.fineTunedModel) lines.push(`  model          ${c.green(v.fineTunedModel)}`);
  if (v.trainingFileId) lines.push(`  training file  ${v.trainingFileId}${v.validationFileId ? `, validation ${v.validationFileId}` : ''}`);
  if (v.createdAt) lines.push(`  created        ${v.createdAt}${v.finishedAt ? `, finished ${v.finishedAt}` : ''}`);
  if (v.trainedTokens !== null) lines.push(`  trained tokens ${v.trainedTokens}`);
  if (v.error) lines.push(`  ${c.red('error')}          ${v.error.code ? `${v.error.code}: ` : ''}${v.error.message}`);
  return lines.join('\n');
}

/** One event as a line: time, level, message (metrics events carry the step and losses in the message). */
export function renderEvent(e: JobEvent, c: ChalkInstance): string {
  const time = new Date(e.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 19);
  const level = e.level === 'error' ? c.red('error') : e.level === 'warn' ? c.yellow('warn ') : c.dim('info ');
  return `${c.dim(time)}  ${level}  ${e.message}`;
}

export function eventView(e: JobEvent): Record<string, unknown> {
  return { id: e.id, createdAt: iso(e.createdAt), level: e.level, type: e.type, message: e.message, data: e.data ?? null };
}

export function checkpointView(cp: Checkpoint): Record<string, unknown> {
  return { id: cp.id, createdAt: iso(cp.createdAt), step: cp.step, model: cp.model, metrics: cp.metrics };
}

export function renderCheckpoint(cp: Checkpoint, c: ChalkInstance): string {
  const metrics = Object.entries(cp.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`).join(' ');
  return `step ${String(cp.step).padStart(6)}  ${c.bold(cp.model)}  ${c.dim(metrics)}`;
}
