/** Pure renderers of `tune start`'s results. */
import type { ChalkInstance } from 'chalk';
import type { BillingEstimate } from '../../../core/models/pricing.js';
import type { CreateJobRequest } from '../../../core/providers/types.js';
import type { JobView } from './render.js';

export interface PlannedUpload {
  role: 'training' | 'validation';
  path: string;
  filename: string;
  sha256: string;
  bytes: number;
  /** Set once uploaded (or, in a dry run, the cached id that would be reused). */
  fileId: string | null;
  reused: boolean;
}

export interface StartResult {
  job: JobView;
  /** True when an identical job already existed and no new one was created. */
  duplicate: boolean;
  uploads: PlannedUpload[];
}

export interface DryRunPlan {
  dryRun: true;
  provider: string;
  fingerprint: string;
  estimate: BillingEstimate | null;
  uploads: (PlannedUpload & { method: string })[];
  create: CreateJobRequest;
}

export function renderDryRun(plan: DryRunPlan, c: ChalkInstance): string {
  const lines = [c.bold(`Dry run: nothing is sent to ${plan.provider}.`), '', 'Uploads:'];
  for (const u of plan.uploads) {
    const what = u.fileId ? `reuse ${u.fileId} if ${plan.provider} still has it` : `${u.method} upload`;
    lines.push(`  ${u.role.padEnd(10)} ${u.path}  ${u.bytes} bytes  sha256 ${u.sha256.slice(0, 16)}…  (${what})`);
  }
  lines.push('', 'Create job:', ...JSON.stringify(plan.create, null, 2).split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}

export function renderStarted(r: StartResult, c: ChalkInstance, watchCommand: string): string {
  const id = r.job.id ?? r.job.ledgerId ?? '';
  const head = r.duplicate ? `Already started: ${c.bold(id)} (${r.job.status})` : `Started ${c.bold(id)} (${r.job.status})`;
  return [head, `  ledger id  ${r.job.ledgerId ?? '-'}`, `  base model ${r.job.baseModel}`, `  watch it:  ${watchCommand}`].join('\n');
}
