/**
 * Bedrock model customization jobs as llmgw's neutral jobs, and llmgw's request as Bedrock's:
 * the job name and client token derived from the ledger id, hyperparameters as strings, the stage
 * details as events.
 */
import type { GetModelCustomizationJobResponse, ModelCustomizationJobSummary } from '@aws-sdk/client-bedrock';
import { LEDGER_METADATA_KEY } from '../lookup.js';
import type { Hyperparameters, Job, JobEvent, JobStatus } from '../types.js';
import { foundationModelArnId, HYPERPARAMETERS, type BedrockModel } from './models.js';

const NEUTRAL: Record<string, keyof Omit<Hyperparameters, 'extra'>> = { epochCount: 'epochs', batchSize: 'batchSize', learningRateMultiplier: 'learningRateMultiplier' };

/**
 * The job name and client token for a ledger entry (`lj_<hex>` → `llmgw-lj-<hex>`): the name
 * finds the job again (GetModelCustomizationJob takes it), and the token makes a repeated create
 * return the same job instead of starting a second one.
 */
export function jobNameFor(ledgerId: string): string {
  return `llmgw-${ledgerId.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 63);
}

/** The ledger id a job name was derived from, or undefined for jobs llmgw did not name. */
export function ledgerIdOf(jobName: string | undefined): string | undefined {
  const m = /^llmgw-lj-([0-9a-f]+)$/.exec(jobName ?? '');
  return m ? `lj_${m[1]}` : undefined;
}

/** `customModelName` (letters, digits, single `_`/`-` between them, ≤ 63). */
export function customModelNameFor(ledgerId: string, suffix: string | undefined): string {
  const id = ledgerId.replace(/^lj_/, '');
  return `${suffix ?? 'llmgw'}-${id}`.slice(0, 63);
}

/** llmgw's hyperparameters by Bedrock's names, as the strings the API requires. */
export function toHyperParameters(model: BedrockModel, hp: Hyperparameters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of HYPERPARAMETERS[model.family]) {
    const neutral = NEUTRAL[spec.providerName];
    const value = neutral ? hp[neutral] : (hp.extra?.[spec.name] ?? hp.extra?.[spec.providerName]);
    if (value !== undefined && value !== 'auto') out[spec.providerName] = String(value);
  }
  return out;
}

function fromHyperParameters(hp: Record<string, string> | undefined): Hyperparameters {
  const out: Hyperparameters = {};
  const extra: Record<string, number> = {};
  for (const [k, v] of Object.entries(hp ?? {})) {
    const n = Number(v);
    if (!Number.isFinite(n)) continue;
    const neutral = NEUTRAL[k];
    if (neutral) out[neutral] = n;
    else extra[k] = n;
  }
  if (Object.keys(extra).length > 0) out.extra = extra;
  return out;
}

type AnyJob = Partial<GetModelCustomizationJobResponse> & Partial<ModelCustomizationJobSummary>;

function statusOf(job: AnyJob): JobStatus {
  switch (job.status) {
    case 'Completed':
      return 'succeeded';
    case 'Failed':
      return 'failed';
    case 'Stopped':
      return 'cancelled';
    // Still stopping; it turns Stopped when done.
    case 'Stopping':
      return 'running';
    case 'InProgress': {
      const v = job.statusDetails?.validationDetails?.status;
      return v === undefined || v === 'InProgress' || v === 'NotStarted' ? (job.statusDetails ? 'validating_files' : 'running') : 'running';
    }
    default:
      // Not in ModelCustomizationJobStatus: never taken for running (see JobStatus).
      return job.status === undefined ? 'running' : 'unknown';
  }
}

const seconds = (d: Date | undefined): number | null => (d ? Math.floor(d.getTime() / 1000) : null);

export function toJob(job: AnyJob): Job {
  const ledgerId = ledgerIdOf(job.jobName);
  return {
    id: job.jobArn ?? job.jobName ?? '',
    provider: 'bedrock',
    status: statusOf(job),
    providerStatus: job.status ?? 'InProgress',
    baseModel: foundationModelArnId(job.baseModelArn ?? '') ?? job.baseModelArn ?? '',
    method: 'supervised',
    fineTunedModel: job.outputModelArn ?? job.customModelArn ?? null,
    trainingFileId: job.trainingDataConfig?.s3Uri ?? '',
    validationFileId: job.validationDataConfig?.validators?.[0]?.s3Uri ?? null,
    createdAt: seconds(job.creationTime) ?? 0,
    finishedAt: seconds(job.endTime),
    estimatedFinish: null,
    trainedTokens: null,
    hyperparameters: fromHyperParameters(job.hyperParameters),
    suffix: null,
    seed: null,
    metadata: ledgerId ? { [LEDGER_METADATA_KEY]: ledgerId } : {},
    error: job.status === 'Failed' ? { code: 'Failed', message: job.failureMessage ?? 'The job failed (Bedrock gave no reason).' } : null,
  };
}

const STAGES = [
  ['validationDetails', 'data validation'],
  ['dataProcessingDetails', 'data processing'],
  ['trainingDetails', 'training'],
] as const;

/**
 * The job's stage details and losses as events, newest first. Ids name the stage and its status,
 * so each change is shown once however often it is polled.
 */
export function stageEvents(job: GetModelCustomizationJobResponse): JobEvent[] {
  const events: JobEvent[] = [];
  for (const [key, label] of STAGES) {
    const stage = job.statusDetails?.[key];
    if (!stage?.status || stage.status === 'NotStarted') continue;
    const at = seconds(stage.lastModifiedTime ?? stage.creationTime) ?? seconds(job.lastModifiedTime) ?? 0;
    const level = stage.status === 'Failed' ? 'error' : 'info';
    events.push({ id: `${key}:${stage.status}`, createdAt: at, level, type: 'message', message: `${label}: ${stage.status}` });
  }
  const trainingLoss = job.trainingMetrics?.trainingLoss;
  const validationLoss = job.validationMetrics?.[0]?.validationLoss;
  if (trainingLoss !== undefined || validationLoss !== undefined) {
    const data: Record<string, number> = {};
    if (trainingLoss !== undefined) data.train_loss = trainingLoss;
    if (validationLoss !== undefined) data.valid_loss = validationLoss;
    const text = Object.entries(data).map(([k, v]) => `${k} ${v}`).join(', ');
    events.push({ id: 'metrics:final', createdAt: seconds(job.endTime ?? job.lastModifiedTime) ?? 0, level: 'info', type: 'metrics', message: `final ${text}`, data });
  }
  if (job.status === 'Failed' && job.failureMessage) events.push({ id: 'job:Failed', createdAt: seconds(job.endTime) ?? 0, level: 'error', type: 'message', message: job.failureMessage });
  if (job.status === 'Stopped') events.push({ id: 'job:Stopped', createdAt: seconds(job.endTime) ?? 0, level: 'warn', type: 'message', message: 'the job was stopped' });
  return events.sort((a, b) => b.createdAt - a.createdAt);
}
