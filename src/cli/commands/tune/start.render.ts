/** Pure renderers of `tune start`'s results. */
import type { ChalkInstance } from 'chalk';
import type { BillingEstimate } from '../../../core/models/pricing.js';
import type { ConversionNote, CreateJobRequest, WireRequest } from '../../../core/providers/types.js';
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
  /** What converting the file to the provider's format changed, once uploaded (empty when nothing; absent in a dry run). */
  conversionNotes?: ConversionNote[] | undefined;
  /** Once uploaded: the bytes an interrupted earlier run had sent, which this run did not send again (0: none). */
  resumedFrom?: number | undefined;
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
  /** The request in llmgw's own terms. */
  create: CreateJobRequest;
  /** The create call as the adapter will send it (provider's field names, credentials masked); null when the adapter cannot show it. */
  request: WireRequest | null;
}

export function renderDryRun(plan: DryRunPlan, c: ChalkInstance): string {
  const lines = [c.bold(`Dry run: nothing is sent to ${plan.provider}.`), '', 'Uploads:'];
  for (const u of plan.uploads) {
    const what = u.fileId ? `reuse ${u.fileId} if ${plan.provider} still has it` : `${u.method} upload`;
    lines.push(`  ${u.role.padEnd(10)} ${u.path}  ${u.bytes} bytes  sha256 ${u.sha256.slice(0, 16)}…  (${what})`);
  }
  const indent = (value: unknown): string[] => JSON.stringify(value, null, 2).split('\n').map((l) => `  ${l}`);
  if (!plan.request) return [...lines, '', 'Create job:', ...indent(plan.create)].join('\n');
  const r = plan.request;
  lines.push('', `Create job: ${r.method} ${r.url}`, ...Object.entries(r.headers ?? {}).map(([k, v]) => `  ${k}: ${v}`), ...indent(r.body));
  lines.push(c.dim('  (file ids in <…> are assigned by the uploads, the ledger id when the job is started)'));
  return lines.join('\n');
}

export function renderStarted(r: StartResult, c: ChalkInstance, watchCommand: string): string {
  const id = r.job.id ?? r.job.ledgerId ?? '';
  const head = r.duplicate ? `Already started: ${c.bold(id)} (${r.job.status})` : `Started ${c.bold(id)} (${r.job.status})`;
  return [head, `  ledger id  ${r.job.ledgerId ?? '-'}`, `  base model ${r.job.baseModel}`, `  watch it:  ${watchCommand}`].join('\n');
}
