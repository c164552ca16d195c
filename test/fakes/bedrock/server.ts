/**
 * A fake Amazon Bedrock control plane on 127.0.0.1, written from the Bedrock API reference:
 * ListFoundationModels, the model customization job routes (create 201 with client-token
 * idempotency, get by name or ARN, list newest first with maxResults/nextToken, stop), custom
 * model deployments and Provisioned Throughput. Requests must be SigV4-signed with the fake's
 * access key. A job moves one stage along its plan each time it is read, so a polling client sees
 * it progress without timers.
 */
import type { IncomingMessage } from 'node:http';
import { readJson, Router, type RequestContext } from '../shared/http.js';
import { serveFake, type ServedFake } from '../together/serve.js';
import { serving, type ServingState } from './serving.js';
import { S3_KEY } from './s3.js';
import { ACCOUNT, arn, awsError, errorBody, invalid, lastSegment, page, PATTERNS, requireString, s3UriOf } from './wire.js';

export type JobStep = 'validating' | 'processing' | 'training' | 'completed' | 'failed';
export const SUCCESS_PLAN: JobStep[] = ['validating', 'processing', 'training', 'training', 'completed'];
export const FAILURE_PLAN: JobStep[] = ['validating', 'failed'];

export interface FoundationModel {
  modelId: string;
  customizations: string[];
  lifecycle: 'ACTIVE' | 'LEGACY';
}

interface FakeJob {
  wire: Record<string, unknown> & { jobArn: string; jobName: string; status: string };
  /** The create request as sent, for token idempotency. */
  request: string;
  plan: JobStep[];
  /** Index of the plan step shown; -1 before the first read. */
  at: number;
  stopping: number;
}

export interface FakeBedrock extends ServedFake {
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  jobs: Map<string, FakeJob>;
  serving: ServingState;
  planNext(plan: JobStep[]): void;
  /** Credentials signed from now on are answered with ExpiredTokenException. */
  expireCredentials(): void;
}

const DEFAULT_MODELS: FoundationModel[] = [
  { modelId: 'amazon.nova-micro-v1:0:128k', customizations: ['FINE_TUNING', 'DISTILLATION'], lifecycle: 'ACTIVE' },
  { modelId: 'amazon.nova-lite-v1:0:300k', customizations: ['FINE_TUNING', 'DISTILLATION'], lifecycle: 'ACTIVE' },
  { modelId: 'amazon.nova-pro-v1:0:300k', customizations: ['FINE_TUNING', 'DISTILLATION'], lifecycle: 'ACTIVE' },
  { modelId: 'meta.llama3-1-8b-instruct-v1:0:128k', customizations: ['FINE_TUNING'], lifecycle: 'ACTIVE' },
  { modelId: 'anthropic.claude-3-haiku-20240307-v1:0:200k', customizations: ['FINE_TUNING'], lifecycle: 'LEGACY' },
];

const TIME = Date.UTC(2026, 11, 1, 9, 0, 0);
const iso = (tick: number): string => new Date(TIME + tick * 60_000).toISOString();

export async function startFakeBedrock(opts: { region?: string; models?: FoundationModel[]; accessKeyId?: string } = {}): Promise<FakeBedrock> {
  const region = opts.region ?? 'us-east-1';
  const models = opts.models ?? DEFAULT_MODELS;
  const accessKeyId = opts.accessKeyId ?? 'AKIDFAKEBEDROCK0001';
  const jobs = new Map<string, FakeJob>();
  let nextPlan: JobStep[] | undefined;
  let tick = 0;
  let expired = false;
  let authorization: string | undefined;

  const jobOf = (identifier: string): FakeJob => {
    const job = jobs.get(lastSegment(identifier)) ?? [...jobs.values()].find((j) => j.wire.jobName === identifier);
    if (!job) throw awsError('ResourceNotFoundException', `Could not find model customization job ${identifier}.`);
    return job;
  };

  const advance = (job: FakeJob): void => {
    if (job.wire.status === 'Stopping') {
      // One read sees Stopping, the next Stopped.
      if (job.stopping > 0) return void job.stopping--;
      tick++;
      Object.assign(job.wire, { status: 'Stopped', endTime: iso(tick), lastModifiedTime: iso(tick) });
      return;
    }
    const next = job.plan[job.at + 1];
    if (next === undefined || job.wire.status !== 'InProgress') return;
    job.at++;
    tick++;
    job.wire.lastModifiedTime = iso(tick);
    const stage = (status: string) => ({ status, creationTime: job.wire.creationTime, lastModifiedTime: iso(tick) });
    const done = stage('Completed');
    if (next === 'processing') job.wire.statusDetails = { validationDetails: done, dataProcessingDetails: stage('InProgress'), trainingDetails: stage('NotStarted') };
    if (next === 'training') job.wire.statusDetails = { validationDetails: done, dataProcessingDetails: done, trainingDetails: stage('InProgress') };
    if (next === 'completed') {
      const base = String(job.wire.baseModelArn).split('/').pop() ?? '';
      Object.assign(job.wire, {
        status: 'Completed',
        endTime: iso(tick),
        outputModelArn: arn(region, `custom-model/${base}/${lastSegment(job.wire.jobArn)}`),
        statusDetails: { validationDetails: done, dataProcessingDetails: done, trainingDetails: done },
        trainingMetrics: { trainingLoss: 0.4213 },
        validationMetrics: job.wire.validationDataConfig ? [{ validationLoss: 0.5127 }] : [],
      });
    }
    if (next === 'failed') {
      Object.assign(job.wire, {
        status: 'Failed',
        endTime: iso(tick),
        failureMessage: 'Validation failed: line 3: the last message must be from the assistant.',
        statusDetails: { validationDetails: stage('Failed'), dataProcessingDetails: stage('NotStarted'), trainingDetails: stage('NotStarted') },
      });
    }
  };

  const foundation = (m: FoundationModel) => ({
    modelArn: `arn:aws:bedrock:${region}::foundation-model/${m.modelId}`,
    modelId: m.modelId,
    providerName: m.modelId.split('.')[0],
    customizationsSupported: m.customizations,
    inferenceTypesSupported: ['PROVISIONED'],
    modelLifecycle: { status: m.lifecycle },
  });

  const createJob = async (ctx: RequestContext) => {
    const body = (await readJson(ctx, 1024 * 1024, () => invalid('Invalid JSON body.'))) as Record<string, unknown> | undefined;
    if (!body) throw invalid('Request body is empty.');
    const jobName = requireString(body, 'jobName', PATTERNS.jobName, 63);
    requireString(body, 'customModelName', PATTERNS.customModelName, 63);
    requireString(body, 'roleArn', PATTERNS.roleArn);
    const token = body.clientRequestToken === undefined ? undefined : requireString(body, 'clientRequestToken', PATTERNS.token, 256);
    const baseId = requireString(body, 'baseModelIdentifier');
    s3UriOf(body, 'trainingDataConfig');
    s3UriOf(body, 'outputDataConfig');
    const hp = body.hyperParameters;
    if (hp !== undefined && (typeof hp !== 'object' || hp === null || Object.values(hp).some((v) => typeof v !== 'string'))) throw invalid('hyperParameters values must be strings.');
    const request = JSON.stringify({ ...body, clientRequestToken: undefined });
    if (token) {
      const same = [...jobs.values()].find((j) => j.wire.clientRequestToken === token);
      if (same && same.request !== request) throw awsError('ConflictException', 'The request token was already used for a request with different parameters.');
      if (same) return { status: 201, json: { jobArn: same.wire.jobArn } };
    }
    if ([...jobs.values()].some((j) => j.wire.jobName === jobName)) throw awsError('ConflictException', `A model customization job named ${jobName} already exists.`);
    const model = models.find((m) => m.modelId === baseId || `arn:aws:bedrock:${region}::foundation-model/${m.modelId}` === baseId);
    if (!model) throw invalid(`The provided model identifier ${baseId} is invalid or cannot be customized in ${region}.`);
    if (model.lifecycle !== 'ACTIVE') throw awsError('ResourceNotFoundException', 'This model version has reached the end of its life. Please refer to the AWS documentation for more details.');
    tick++;
    const id = `${Math.random().toString(36).slice(2, 8)}${tick.toString(36).padStart(6, '0')}`.slice(0, 12);
    const plan = nextPlan ?? SUCCESS_PLAN;
    nextPlan = undefined;
    const wire: FakeJob['wire'] = {
      ...(body as Record<string, unknown>),
      jobArn: arn(region, `model-customization-job/${model.modelId}/${id}`),
      jobName,
      outputModelName: body.customModelName,
      baseModelArn: `arn:aws:bedrock:${region}::foundation-model/${model.modelId}`,
      status: 'InProgress',
      customizationType: body.customizationType ?? 'FINE_TUNING',
      creationTime: iso(tick),
      lastModifiedTime: iso(tick),
      statusDetails: { validationDetails: { status: 'InProgress' }, dataProcessingDetails: { status: 'NotStarted' }, trainingDetails: { status: 'NotStarted' } },
    };
    delete wire.baseModelIdentifier;
    jobs.set(id, { wire, request, plan, at: -1, stopping: 0 });
    return { status: 201, json: { jobArn: wire.jobArn } };
  };

  const listJobs = (ctx: RequestContext) => {
    const q = ctx.query;
    let all = [...jobs.values()].map((j) => j.wire);
    const name = q.get('nameContains');
    const status = q.get('statusEquals');
    if (name) all = all.filter((j) => j.jobName.includes(name));
    if (status) all = all.filter((j) => j.status === status);
    all.sort((a, b) => String(a.creationTime).localeCompare(String(b.creationTime)));
    if (q.get('sortOrder') !== 'Ascending') all.reverse();
    const { items, nextToken } = page(all, q);
    const summaries = items.map((j) => ({
      jobArn: j.jobArn,
      jobName: j.jobName,
      baseModelArn: j.baseModelArn,
      status: j.status,
      creationTime: j.creationTime,
      lastModifiedTime: j.lastModifiedTime,
      endTime: j.endTime,
      customModelArn: j.outputModelArn,
      customModelName: j.outputModelName,
      customizationType: j.customizationType,
    }));
    return { json: { modelCustomizationJobSummaries: summaries, ...(nextToken ? { nextToken } : {}) } };
  };

  const state = serving(region, () => ++tick, iso, (customModelArn) => {
    const job = [...jobs.values()].find((j) => j.wire.outputModelArn === customModelArn);
    return job ? String(job.wire.baseModelArn).split('/').pop() : undefined;
  });

  const router = new Router()
    .on('GET', '/foundation-models', (ctx) => {
      const by = ctx.query.get('byCustomizationType');
      return { json: { modelSummaries: models.filter((m) => !by || m.customizations.includes(by)).map(foundation) } };
    })
    .on('POST', '/model-customization-jobs', createJob)
    .on('GET', '/model-customization-jobs', listJobs)
    .on('GET', '/model-customization-jobs/:id', (ctx) => {
      const job = jobOf(ctx.params.id ?? '');
      advance(job);
      return { json: job.wire };
    })
    .on('POST', '/model-customization-jobs/:id/stop', async (ctx) => {
      await readJson(ctx, 1024, () => invalid('Invalid JSON body.'));
      const job = jobOf(ctx.params.id ?? '');
      if (job.wire.status !== 'InProgress') throw awsError('ValidationException', `Job ${job.wire.jobName} is ${job.wire.status} and cannot be stopped.`);
      job.wire.status = 'Stopping';
      job.stopping = 1;
      return { json: {} };
    });
  state.routes(router);

  const signedBy = (header: string | undefined): string | undefined => /^AWS4-HMAC-SHA256 Credential=([^/]+)\//.exec(header ?? '')?.[1];
  const served = await serveFake({
    router,
    apiKey: '',
    authorize: (req: IncomingMessage) => {
      authorization = req.headers.authorization;
      return true;
    },
    errorBody: (status, message, fault) => errorBody(status, message, fault?.type),
    beforeRequest: () => {
      const key = signedBy(authorization);
      if (key !== accessKeyId) throw awsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (expired) throw awsError('ExpiredTokenException', 'The security token included in the request is expired');
    },
  });
  return {
    ...served,
    region,
    accessKeyId,
    // The fake checks who signed, not the signature; S3 tests share s3rver's key pair.
    secretAccessKey: opts.accessKeyId === S3_KEY ? S3_KEY : 'fake-secret-key-for-bedrock-tests',
    jobs,
    serving: state,
    planNext: (plan) => (nextPlan = plan),
    expireCredentials: () => (expired = true),
  };
}

export { ACCOUNT };
