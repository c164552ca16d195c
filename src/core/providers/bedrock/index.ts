/**
 * Amazon Bedrock model customization on the AWS SDK v3: training data converted to the base
 * model's format on its way to S3, CreateModelCustomizationJob with a client token and job name
 * derived from the ledger id, the job's stages as events and its losses as metrics, and the
 * deployment step a custom model needs before it serves traffic. Credentials come from the AWS
 * default chain (never read, printed or kept by llmgw); the Region from `--region`, config or the
 * SDK's own resolution; endpoints from AWS_ENDPOINT_URL_BEDROCK / AWS_ENDPOINT_URL_S3.
 */
import {
  BedrockClient,
  CreateModelCustomizationJobCommand,
  GetModelCustomizationJobCommand,
  ListModelCustomizationJobsCommand,
  StopModelCustomizationJobCommand,
  type CreateModelCustomizationJobCommandInput,
  type GetModelCustomizationJobResponse,
} from '@aws-sdk/client-bedrock';
import type { S3Client } from '@aws-sdk/client-s3';
import { basename } from 'node:path';
import { ConfigError, UsageError, isLlmgwError } from '../../errors.js';
import { LEDGER_METADATA_KEY } from '../lookup.js';
import { pageOf } from '../rest.js';
import type {
  Checkpoint,
  CreatedJobMark,
  CreateJobRequest,
  DeployRequest,
  DeployResult,
  FineTuningProvider,
  Job,
  JobEvent,
  JobLookup,
  ListJobsOptions,
  ListOptions,
  Page,
  ProviderFactory,
  ProviderModel,
  ProviderSettings,
  RequestOptions,
  UploadedFile,
  UploadRequest,
  WireRequest,
} from '../types.js';
import { bedrockCapabilities } from './capabilities.js';
import { deployJob, getDeployment } from './deploy.js';
import { bedrockContext, fromAwsError, ROLE_NEEDS } from './errors.js';
import { assertTunable, knownModel, listTunable } from './foundation.js';
import { customModelNameFor, jobNameFor, stageEvents, toHyperParameters, toJob } from './mapping.js';
import { headObject, parseS3Uri, s3Client, s3Setting, under, type S3Place } from './s3.js';
import { uploadToS3 } from './upload.js';
import { anySignal } from '../signals.js';

export const factory: ProviderFactory = {
  name: 'bedrock',
  displayName: 'Amazon Bedrock',
  // Bedrock signs requests with the AWS credential chain; it reads no API key.
  env: { apiKey: '', baseUrl: 'AWS_ENDPOINT_URL_BEDROCK' },
  create: (settings) => new BedrockProvider(settings),
};

class BedrockProvider implements FineTuningProvider {
  readonly name = factory.name;
  readonly displayName = factory.displayName;
  readonly capabilities = { ...bedrockCapabilities, uploadsByModel: true, remoteSchemes: ['s3'] };
  private readonly client: BedrockClient;
  private s3Cached: S3Client | undefined;
  private checked = new Set<string>();

  constructor(private readonly settings: ProviderSettings) {
    const region = this.extra('region');
    this.client = new BedrockClient({
      ...(region ? { region } : {}),
      ...(settings.baseUrl ? { endpoint: settings.baseUrl } : {}),
      maxAttempts: (settings.maxRetries ?? 2) + 1,
      ...(settings.timeoutMs ? { requestHandler: { requestTimeout: settings.timeoutMs } } : {}),
    });
  }

  private extra(field: string): string | undefined {
    const v = this.settings.extra?.[field]?.trim();
    return v === '' ? undefined : v;
  }

  private get s3(): S3Client {
    this.s3Cached ??= s3Client({ region: this.extra('region'), endpoint: this.extra('s3Endpoint'), maxAttempts: (this.settings.maxRetries ?? 2) + 1, timeoutMs: this.settings.timeoutMs });
    return this.s3Cached;
  }

  /** The Region the SDK resolved (flag, config, AWS_REGION or profile); a missing one is exit 3. */
  private async region(): Promise<string> {
    try {
      return await this.client.config.region();
    } catch (err) {
      throw fromAwsError(err, bedrockContext('find the AWS Region'));
    }
  }

  private async call<T>(action: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isLlmgwError(err)) throw err;
      throw fromAwsError(err, bedrockContext(action), signal);
    }
  }

  accountKey(): string {
    return `bedrock ${this.settings.baseUrl ?? 'aws'} ${this.extra('region') ?? 'sdk-region'} ${this.extra('bucket') ?? ''}`;
  }

  /** Before any upload: the service role is set, and the model can be tuned in this Region now. */
  async checkBaseModel(baseModel: string, opts: RequestOptions = {}): Promise<void> {
    this.roleArn();
    const model = knownModel(baseModel);
    if (this.checked.has(model.id)) return;
    const region = await this.region();
    assertTunable(model, await listTunable(this.client, opts.signal), region);
    this.checked.add(model.id);
  }

  private roleArn(): string {
    const roleArn = this.extra('roleArn');
    if (!roleArn) throw new ConfigError('bedrock_role_missing', 'Bedrock fine-tuning runs as an IAM service role, and none was given.', { hint: `pass --role-arn arn:aws:iam::<account>:role/<name> (or \`llmgw config set bedrock.roleArn …\`): ${ROLE_NEEDS}` });
    return roleArn;
  }

  private bucket(): S3Place {
    const bucket = this.extra('bucket');
    if (!bucket) {
      throw new UsageError('bedrock_bucket_missing', 'Bedrock reads training data from S3, and no bucket was given to upload it to.', {
        hint: 'pass --bucket s3://bucket/prefix (a bucket in the job\'s Region), or run `llmgw config set bedrock.bucket s3://bucket/prefix`',
      });
    }
    return s3Setting(bucket, '--bucket');
  }

  async upload(req: UploadRequest, opts: RequestOptions = {}): Promise<UploadedFile> {
    const signal = anySignal(req.signal, opts.signal);
    const model = req.baseModel ? knownModel(req.baseModel) : undefined;
    if (req.baseModel) await this.checkBaseModel(req.baseModel, { signal });
    const { reused: _reused, ...file } = await uploadToS3(this.s3, {
      path: req.path,
      filename: req.filename ?? basename(req.path),
      sha256: req.sha256,
      bytes: req.bytes,
      model,
      prefix: this.bucket(),
      partBytes: this.settings.uploadLimits?.uploadPartBytes,
      concurrency: this.settings.uploadLimits?.concurrency,
      onProgress: req.onProgress,
      signal,
    });
    return file;
  }

  async getFile(id: string, opts: RequestOptions = {}): Promise<UploadedFile | undefined> {
    const place = parseS3Uri(id);
    if (!place) return undefined;
    const head = await headObject(this.s3, place, opts.signal);
    return head && { id, bytes: head.ContentLength ?? 0, filename: basename(place.key), createdAt: Math.floor((head.LastModified?.getTime() ?? 0) / 1000), purpose: 'fine-tune', status: 'processed' };
  }

  /** The CreateModelCustomizationJob body for a request; the ledger id names the job and is its client token. */
  private createBody(req: CreateJobRequest): CreateModelCustomizationJobCommandInput {
    const roleArn = this.roleArn();
    const model = knownModel(req.baseModel);
    if (req.validationFileId && !model.validation) throw new UsageError('validation_not_supported', `${model.name} fine-tuning takes no validation file.`, { hint: 'drop --validation for this model' });
    const output = this.extra('output') ? s3Setting(this.extra('output') ?? '', '--output') : under(this.bucket(), 'output/');
    const jobName = jobNameFor(req.ledgerId);
    const tags = Object.entries(req.metadata ?? {})
      .filter(([k]) => k !== LEDGER_METADATA_KEY)
      .map(([key, value]) => ({ key, value }));
    return {
      jobName,
      customModelName: customModelNameFor(req.ledgerId, req.suffix),
      roleArn,
      // The same token for the same ledger entry: a retried create returns the job already started.
      clientRequestToken: jobName,
      baseModelIdentifier: model.id,
      customizationType: 'FINE_TUNING',
      trainingDataConfig: { s3Uri: req.trainingFileId },
      ...(req.validationFileId ? { validationDataConfig: { validators: [{ s3Uri: req.validationFileId }] } } : {}),
      outputDataConfig: { s3Uri: `s3://${output.bucket}/${output.key}` },
      hyperParameters: toHyperParameters(model, req.hyperparameters),
      jobTags: [...tags, { key: LEDGER_METADATA_KEY, value: req.ledgerId }],
    };
  }

  previewCreateJob(req: CreateJobRequest): WireRequest {
    const base = this.settings.baseUrl ?? `https://bedrock.${this.extra('region') ?? '<region>'}.amazonaws.com`;
    return { method: 'POST', url: `${base.replace(/\/+$/, '')}/model-customization-jobs`, body: this.createBody(req) };
  }

  async createJob(req: CreateJobRequest, opts: RequestOptions = {}): Promise<Job> {
    const body = this.createBody(req);
    await this.checkBaseModel(req.baseModel, opts);
    const created = await this.call('create the fine-tuning job', opts.signal, () => this.client.send(new CreateModelCustomizationJobCommand(body), { abortSignal: opts.signal }));
    return this.getJob(created.jobArn ?? body.jobName ?? '', opts);
  }

  private async rawJob(id: string, signal?: AbortSignal): Promise<GetModelCustomizationJobResponse> {
    return this.call(`get job ${id}`, signal, () => this.client.send(new GetModelCustomizationJobCommand({ jobIdentifier: id }), { abortSignal: signal }));
  }

  async getJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    return toJob(await this.rawJob(id, opts.signal));
  }

  /** The job is named after its ledger entry, and Bedrock looks jobs up by name. */
  async findCreatedJob(mark: Pick<CreatedJobMark, 'ledgerId'>, opts: RequestOptions = {}): Promise<JobLookup> {
    try {
      return { kind: 'found', job: await this.getJob(jobNameFor(mark.ledgerId), opts) };
    } catch (err) {
      if (isLlmgwError(err) && err.code === 'provider_not_found') return { kind: 'absent' };
      return { kind: 'unknown', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  async listJobs(opts: ListJobsOptions = {}, req: RequestOptions = {}): Promise<Page<Job>> {
    const ledgerId = opts.metadata?.[LEDGER_METADATA_KEY];
    if (ledgerId) {
      // The ledger tag is also the job name, which Bedrock looks up directly; its failures are the provider's, as they are.
      try {
        return { data: [await this.getJob(jobNameFor(ledgerId), req)], hasMore: false, nextCursor: null };
      } catch (err) {
        if (isLlmgwError(err) && err.code === 'provider_not_found') return { data: [], hasMore: false, nextCursor: null };
        throw err;
      }
    }
    const res = await this.call('list fine-tuning jobs', req.signal, () =>
      this.client.send(new ListModelCustomizationJobsCommand({ maxResults: Math.min(1000, Math.max(1, opts.limit ?? 20)), sortBy: 'CreationTime', sortOrder: 'Descending', ...(opts.after ? { nextToken: opts.after } : {}) }), { abortSignal: req.signal }),
    );
    return { data: (res.modelCustomizationJobSummaries ?? []).map(toJob), hasMore: Boolean(res.nextToken), nextCursor: res.nextToken ?? null };
  }

  async cancelJob(id: string, opts: RequestOptions = {}): Promise<Job> {
    await this.call(`stop job ${id}`, opts.signal, () => this.client.send(new StopModelCustomizationJobCommand({ jobIdentifier: id }), { abortSignal: opts.signal }));
    return this.getJob(id, opts);
  }

  async listEvents(jobId: string, list: ListOptions = {}, opts: RequestOptions = {}): Promise<Page<JobEvent>> {
    return pageOf(stageEvents(await this.rawJob(jobId, opts.signal)), (e) => e.id, list);
  }

  async listCheckpoints(_jobId: string, _list: ListOptions = {}, _opts: RequestOptions = {}): Promise<Page<Checkpoint>> {
    // Bedrock keeps only the final custom model; there are no intermediate checkpoints to list.
    return { data: [], hasMore: false, nextCursor: null };
  }

  async getModel(id: string, opts: RequestOptions = {}): Promise<ProviderModel> {
    if (/:custom-model\//.test(id)) return { id, exists: true, shutdownDate: null };
    const found = (await listTunable(this.client, opts.signal)).find((m) => m.modelId === id);
    return { id, exists: found !== undefined, shutdownDate: found?.modelLifecycle?.endOfLifeTime?.toISOString().slice(0, 10) ?? null, ownedBy: found?.providerName };
  }

  async deploy(job: Job, request: DeployRequest, opts: RequestOptions = {}): Promise<DeployResult> {
    return deployJob(this.client, await this.region(), job, request, opts.signal);
  }

  async getDeployment(arn: string, opts: RequestOptions = {}): Promise<DeployResult> {
    return getDeployment(this.client, await this.region(), arn, undefined, opts.signal);
  }
}
