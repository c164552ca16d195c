/**
 * How a fake job lives: `validating_files → queued → running → succeeded | failed`, or
 * `cancelled` from any of the first three. Transitions happen on the fake clock (the test moves
 * it), each with its events; training emits a metrics event per step and a checkpoint per epoch
 * (the last three are kept, as OpenAI does).
 */
import type { FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import { randomId } from '../shared/http.js';
import type { FakeContext } from './context.js';
import type { JobPlan, StoredJob, WireJob } from './state.js';

export function createJob(fake: FakeContext, params: JobCreateParams & { method: NonNullable<JobCreateParams['method']> }): StoredJob {
  const plan: JobPlan = { ...fake.opts.jobPlan, ...fake.nextPlans.shift() };
  const type = params.method.type;
  const hyper = (params.method[type]?.hyperparameters ?? {}) as Record<string, number | string>;
  const resolved: Record<string, number | string> = {
    n_epochs: hyper.n_epochs ?? 'auto',
    batch_size: hyper.batch_size ?? 'auto',
    learning_rate_multiplier: hyper.learning_rate_multiplier ?? 'auto',
    ...(type === 'dpo' && { beta: hyper.beta ?? 'auto' }),
    ...(type === 'reinforcement' && {
      compute_multiplier: hyper.compute_multiplier ?? 'auto',
      eval_interval: hyper.eval_interval ?? 'auto',
      eval_samples: hyper.eval_samples ?? 'auto',
      reasoning_effort: hyper.reasoning_effort ?? 'default',
    }),
  };
  const base = params.model.startsWith('ft:') ? (params.model.split(':')[1] ?? params.model) : params.model;
  const object: WireJob = {
    object: 'fine_tuning.job',
    id: randomId('ftjob-'),
    model: params.model,
    created_at: fake.clock.seconds(),
    fine_tuned_model: null,
    organization_id: fake.opts.organizationId,
    result_files: [],
    status: 'validating_files',
    validation_file: params.validation_file ?? null,
    training_file: params.training_file,
    // As in the reference: only supervised jobs echo the top-level hyperparameters.
    hyperparameters: (type === 'supervised' ? resolved : null) as WireJob['hyperparameters'],
    method: { type, [type]: { ...params.method[type], hyperparameters: resolved } },
    metadata: params.metadata ?? null,
    error: null,
    finished_at: null,
    seed: params.seed ?? Math.floor(Math.random() * 2147483647),
    trained_tokens: null,
    estimated_finish: null,
    integrations: [],
    user_provided_suffix: params.suffix ?? null,
    usage_metrics: null,
    shared_with_openai: false,
  };
  const job: StoredJob = {
    object,
    plan,
    events: [],
    checkpoints: [],
    modelId: `ft:${base}:${fake.opts.orgSlug}:${params.suffix ?? ''}:${randomId('', 8)}`,
    epochs: typeof hyper.n_epochs === 'number' ? hyper.n_epochs : 3,
    step: 0,
    nextAt: fake.clock.now() + plan.validatingMs,
  };
  event(fake, job, 'info', `Validating training file: ${params.training_file}${params.validation_file ? ` and validation file: ${params.validation_file}` : ''}`);
  fake.state.jobs.set(object.id, job);
  return job;
}

/** Runs every transition due by `now`, each stamped with its own time. */
export function runDue(fake: FakeContext, now: number): void {
  for (const job of fake.state.jobs.values()) {
    while (isActive(job) && job.nextAt <= now) transition(fake, job, job.nextAt);
  }
}

/** Moves one job one transition on, now. */
export function stepJob(fake: FakeContext, job: StoredJob): void {
  if (isActive(job)) transition(fake, job, fake.clock.now());
}

export function cancelJob(fake: FakeContext, job: StoredJob): void {
  job.object.status = 'cancelled';
  job.object.finished_at = fake.clock.seconds();
  job.object.estimated_finish = null;
  event(fake, job, 'info', 'Fine-tuning job cancelled');
}

/** `running → paused`: training stops and the clock no longer moves the job. */
export function pauseJob(fake: FakeContext, job: StoredJob): void {
  job.object.status = 'paused';
  job.object.estimated_finish = null;
  event(fake, job, 'info', 'Fine-tuning job paused');
}

/** `paused → queued`, then on as usual from the last step. */
export function resumeJob(fake: FakeContext, job: StoredJob): void {
  job.object.status = 'queued';
  job.nextAt = fake.clock.now() + job.plan.queuedMs;
  event(fake, job, 'info', 'Fine-tuning job resumed');
}

/** Whether the clock moves the job on (paused jobs wait for `resume`). */
export function isActive(job: StoredJob): boolean {
  return ['validating_files', 'queued', 'running'].includes(job.object.status);
}

function transition(fake: FakeContext, job: StoredJob, at: number): void {
  const j = job.object;
  const seconds = Math.floor(at / 1000);
  const { plan } = job;
  const failure = plan.outcome === 'succeeded' ? null : plan.outcome;
  if (j.status === 'validating_files') {
    if (failure?.failAt === 'validating_files') return fail(fake, job, seconds, failure.error);
    j.status = 'queued';
    event(fake, job, 'info', 'Files validated, moving job to queued state', null, seconds);
    job.nextAt = at + plan.queuedMs;
    return;
  }
  if (j.status === 'queued') {
    j.status = 'running';
    j.estimated_finish = seconds + Math.ceil((plan.steps * plan.stepMs) / 1000);
    event(fake, job, 'info', 'Fine-tuning job started', null, seconds);
    job.nextAt = at + plan.stepMs;
    return;
  }
  job.step++;
  const step = job.step;
  if (failure?.failAt === 'running' && step > plan.steps / 2) return fail(fake, job, seconds, failure.error);
  const trainLoss = Number((2.2 / (1 + step * 0.6)).toFixed(4));
  event(fake, job, 'info', `Step ${step}/${plan.steps}: training loss=${trainLoss.toFixed(2)}`, { step, train_loss: trainLoss, total_steps: plan.steps, train_mean_token_accuracy: Number((0.5 + step / (2 * plan.steps)).toFixed(4)) }, seconds, 'metrics');
  const perEpoch = Math.max(1, Math.ceil(plan.steps / job.epochs));
  if (step % perEpoch === 0 || step === plan.steps) checkpoint(job, step, trainLoss, seconds);
  job.nextAt = at + plan.stepMs;
  if (step < plan.steps) return;
  j.status = 'succeeded';
  j.fine_tuned_model = job.modelId;
  j.finished_at = seconds;
  j.estimated_finish = null;
  j.trained_tokens = 1200 * plan.steps;
  j.result_files = [randomId('file-')];
  event(fake, job, 'info', `New fine-tuned model created: ${job.modelId}`, null, seconds);
  event(fake, job, 'info', 'The job has successfully completed', null, seconds);
  fake.state.models.set(job.modelId, { object: { id: job.modelId, object: 'model', created: seconds, owned_by: fake.opts.orgSlug }, shutdownDate: null });
}

function fail(fake: FakeContext, job: StoredJob, seconds: number, error: { code: string; message: string; param: string | null }): void {
  job.object.status = 'failed';
  job.object.error = { ...error };
  job.object.finished_at = seconds;
  job.object.estimated_finish = null;
  event(fake, job, 'error', error.message, null, seconds);
}

function checkpoint(job: StoredJob, step: number, trainLoss: number, seconds: number): void {
  job.checkpoints.push({
    object: 'fine_tuning.job.checkpoint',
    id: randomId('ftckpt_'),
    created_at: seconds,
    fine_tuned_model_checkpoint: `${job.modelId}:ckpt-step-${step}`,
    fine_tuning_job_id: job.object.id,
    step_number: step,
    metrics: { step, train_loss: trainLoss },
  });
  if (job.checkpoints.length > 3) job.checkpoints.shift();
}

function event(fake: FakeContext, job: StoredJob, level: FineTuningJobEvent['level'], message: string, data: Record<string, number> | null = null, seconds = fake.clock.seconds(), type: FineTuningJobEvent['type'] = 'message'): void {
  job.events.push({ object: 'fine_tuning.job.event', id: randomId('ftevent-'), created_at: seconds, level, message, data, type });
}
