/**
 * The provider layer: one interface every fine-tuning provider implements, and the
 * provider-neutral shapes the commands work with. Commands never branch on a provider's name;
 * what differs between providers is expressed in `ProviderCapabilities`.
 */
import type { ServingFacts } from '../manifest/register-job.js';

export type TrainingMethod = 'supervised' | 'dpo' | 'reinforcement';

/**
 * Provider-neutral job states. Adapters map their provider's states onto these; a state an
 * adapter does not know is `unknown` (the provider's word is in `Job.providerStatus`): neither
 * running nor ended, so a watch gives it a bounded number of polls (jobs/watch.ts), never the
 * whole wait, and never records it as a failure.
 */
export type JobStatus = 'validating_files' | 'queued' | 'running' | 'paused' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['succeeded', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** A hyperparameter value: a number, or `'auto'` to let the provider choose. */
export type HyperValue = number | 'auto';

export interface Hyperparameters {
  epochs?: HyperValue;
  batchSize?: HyperValue;
  learningRateMultiplier?: HyperValue;
  /** DPO only. */
  beta?: HyperValue;
  /** Provider-specific extras (e.g. Mistral `training_steps`, Together LoRA rank), by the provider's own name. */
  extra?: Record<string, string | number | boolean>;
}

export interface HyperparameterSpec {
  /** llmgw's name, e.g. `epochs`, or a provider-specific name for `extra` entries. */
  name: string;
  /** The provider's own name, e.g. `n_epochs`. */
  providerName: string;
  type: 'integer' | 'number' | 'string' | 'boolean';
  min?: number;
  max?: number;
  /** Exclusive lower bound (e.g. beta > 0). */
  exclusiveMin?: boolean;
  methods: TrainingMethod[];
  allowsAuto: boolean;
  /** The only values the provider accepts (a `string` setting's words, or e.g. Vertex's adapter sizes). */
  values?: readonly (string | number)[] | undefined;
}

export interface ProviderCapabilities {
  methods: TrainingMethod[];
  hyperparameters: HyperparameterSpec[];
  /** Largest file accepted by a single upload call, in bytes. */
  maxSingleUploadBytes: number;
  /** Largest file the provider accepts at all (e.g. through multipart uploads), in bytes. */
  maxFileBytes: number;
  /** Part size used for multipart uploads, if the provider has them. */
  uploadPartBytes?: number;
  /** Suffix / job-name rules. */
  suffix: { maxLength: number; pattern: string } | null;
  /** Max metadata pairs on a job, 0 when the provider has no job metadata. */
  maxMetadataPairs: number;
  /** Longest metadata key and value, in characters, when the provider limits them. */
  metadataLimits?: { keyMaxLength: number; valueMaxLength: number } | undefined;
  /** Whether the resulting model needs a deployment before it can serve traffic (Azure). */
  needsDeployment: boolean;
  /** Whether the provider can list jobs filtered by metadata (used to reconcile ambiguous creates). */
  metadataFilter: boolean;
  /** The base models the provider publishes as tunable; when set, pre-flight refuses any other. */
  baseModels?: BaseModelSpec[] | undefined;
  /** What the user must do before the result serves traffic (e.g. create an Azure deployment), for `tune watch`. */
  nextStep?: string | undefined;
  /** The uploaded file depends on the base model (Bedrock converts each line to the model's format), so uploads are cached per model. */
  uploadsByModel?: boolean | undefined;
  /** URI schemes of storage the provider trains from directly (Bedrock: `s3`): `--train s3://…` is used as it is, not uploaded. */
  remoteSchemes?: readonly string[] | undefined;
  /** The provider stops taking new jobs on `date` (YYYY-MM-DD, UTC): `tune start` refuses from then and warns before. */
  newJobsEnd?: { date: string; why: string } | undefined;
  /** Reinforcement fine-tuning: every problem with a grader configuration (empty when it can be sent). */
  checkGrader?: ((grader: unknown) => string[]) | undefined;
}

/** One tunable base model and the provider's published limits for it. */
export interface BaseModelSpec {
  id: string;
  methods: TrainingMethod[];
  /** Longest training example, in tokens, when published. */
  maxTokens?: number | undefined;
  /** This model's own hyperparameters, when they differ by model (Bedrock); replaces the provider-wide list. */
  hyperparameters?: HyperparameterSpec[] | undefined;
}

export interface UploadedFile {
  id: string;
  bytes: number;
  filename: string;
  createdAt: number;
  purpose: string;
  /** `uploaded`, `processed`, `error`, or a provider's own value. */
  status?: string | undefined;
  /**
   * What converting the data to the provider's format changed (Vertex, Bedrock: from OpenAI
   * chat JSONL), one entry per distinct note; absent when nothing was converted this time.
   */
  conversionNotes?: ConversionNote[] | undefined;
  /** Bytes an earlier, interrupted run had already sent, which this upload did not send again (absent: none). */
  resumedFrom?: number | undefined;
}

/** One kind of change a conversion made: dropped fields, merged turns … with how many examples it touched. */
export interface ConversionNote {
  note: string;
  /** Examples it applied to. */
  count: number;
  /** Line of the first such example in the source file. */
  firstLine: number;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

export interface UploadRequest {
  path: string;
  /** Name to upload under (defaults to the file's base name). */
  filename?: string;
  bytes: number;
  sha256: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** The base model the file will train, for providers whose data format depends on it (`uploadsByModel`). */
  baseModel?: string | undefined;
  /** Where an adapter whose uploads can outlive the process keeps them, to resume one an earlier run left unfinished. */
  sessions?: UploadSessionStore | undefined;
  /** Called when an upload goes on from what an earlier run sent (`sentBytes` already at the provider). */
  onResume?: (p: UploadProgress) => void;
}

/**
 * Unfinished uploads between runs: a key naming exactly which bytes go where (the adapter builds
 * it) → the provider's session for them. A session URI is a capability: it stays on this machine.
 */
export interface UploadSessionStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, session: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface CreateJobRequest {
  /**
   * The ledger entry this job is created for. The adapter puts it where the provider keeps it and
   * can search it (OpenAI metadata, a Fireworks job id, a Bedrock client token, a Vertex label, an
   * Azure suffix), so `findCreatedJob` finds the job again when the create's answer is lost.
   */
  ledgerId: string;
  baseModel: string;
  trainingFileId: string;
  validationFileId?: string | undefined;
  method: TrainingMethod;
  hyperparameters: Hyperparameters;
  suffix?: string | undefined;
  seed?: number | undefined;
  metadata?: Record<string, string> | undefined;
  /** Reinforcement fine-tuning: the grader configuration, in the provider's own shape (read from `--grader FILE`). */
  grader?: Record<string, unknown> | undefined;
}

/** Options every provider call takes: `signal` aborts the request in flight (a wait's deadline, Ctrl-C). */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
}

/** What a ledger entry knows about the job it asked for, to find it again at the provider. */
export interface CreatedJobMark {
  ledgerId: string;
  /** ISO time the ledger entry was written (before the create call). */
  createdAt: string;
  baseModel: string;
  trainingFileId: string;
  /** The suffix the user asked for (adapters that keep the ledger id in the suffix use it only when there is none). */
  suffix?: string | null | undefined;
}

/**
 * The answer to "did this create reach the provider?": the job, a sure "no", or "cannot tell"
 * (then nothing is created again; the user resolves it with `llmgw tune resolve`).
 */
export type JobLookup =
  | { kind: 'found'; job: Job }
  | { kind: 'absent' }
  | {
      kind: 'unknown';
      reason: string;
      /** Provider job ids that may be the one, for the message that tells the user how to decide. */
      candidates?: string[] | undefined;
    };

/** A provider's create request as it goes on the wire, for `tune start --dry-run` (no secret in it). */
export interface WireRequest {
  method: string;
  url: string;
  /** The headers that carry credentials, with the secret masked (`Bearer sk-…abcd`). */
  headers?: Record<string, string> | undefined;
  body: unknown;
}

/** A deployment step after training (Azure, Fireworks, Bedrock). */
export interface DeployRequest {
  /** The deployment's name, when the provider lets the caller choose it. */
  name?: string | undefined;
  /** Provider-specific settings, by the provider's own names. */
  options?: Record<string, string> | undefined;
}

export interface DeployResult {
  /** The provider's id or name of the deployment. */
  id: string;
  /** The provider's own word for the deployment's state. */
  status: string;
  /** What a gateway needs to route to it (see the manifest's serving facts). */
  serving: Record<string, unknown>;
  /** Where it stands, for waiting: `active` serves traffic; `failed` never will. */
  state?: 'creating' | 'active' | 'failed' | undefined;
  /** The provider's reason, for a failed deployment. */
  error?: string | null | undefined;
  /** How to remove it (a command), when a failed deployment blocks a retry under the same name. */
  cleanup?: string | undefined;
}

export interface JobError {
  code: string | null;
  message: string;
  param?: string | null;
}

export interface Job {
  id: string;
  provider: string;
  status: JobStatus;
  /** The provider's own status word, kept for display when it differs. */
  providerStatus: string;
  baseModel: string;
  method: TrainingMethod;
  fineTunedModel: string | null;
  trainingFileId: string;
  validationFileId: string | null;
  createdAt: number;
  finishedAt: number | null;
  estimatedFinish: number | null;
  trainedTokens: number | null;
  hyperparameters: Hyperparameters;
  suffix: string | null;
  seed: number | null;
  metadata: Record<string, string>;
  error: JobError | null;
}

export interface JobEvent {
  id: string;
  createdAt: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics' | string;
  data?: Record<string, unknown> | null;
}

export interface Checkpoint {
  id: string;
  createdAt: number;
  step: number;
  model: string;
  metrics: Record<string, number>;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  /** Cursor to pass as `after` for the next page. */
  nextCursor: string | null;
}

export interface ListOptions {
  after?: string | undefined;
  limit?: number | undefined;
}

export interface ListJobsOptions extends ListOptions {
  metadata?: Record<string, string> | undefined;
}

export interface ProviderModel {
  id: string;
  exists: boolean;
  /** ISO date (YYYY-MM-DD) when the provider will stop serving it, if announced. */
  shutdownDate: string | null;
  ownedBy?: string | undefined;
}

/** How a provider adapter is configured. Resolved by the CLI (flags, env, config); never logged. */
export interface ProviderSettings {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  organization?: string | undefined;
  project?: string | undefined;
  /** Azure: API version. */
  apiVersion?: string | undefined;
  /** A bearer token used instead of the API key (Azure: a Microsoft Entra ID token). */
  token?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  /** Injectable fetch (tests, proxies). */
  fetch?: typeof fetch | undefined;
  /** Overrides of the upload limits in `capabilities` (tests make them tiny; a proxy may need smaller parts). */
  uploadLimits?: UploadLimits | undefined;
  /** The provider's own settings (registry `settings`, e.g. `location`, `roleArn`), resolved flag > env > config. */
  extra?: Record<string, string | undefined> | undefined;
}

export interface UploadLimits {
  maxSingleUploadBytes?: number | undefined;
  uploadPartBytes?: number | undefined;
  /** Parts sent at once through a multipart upload. */
  concurrency?: number | undefined;
}

export interface FineTuningProvider {
  /** Registry name, e.g. `openai`. */
  readonly name: string;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;
  /** Identifies the account the credentials belong to, for the upload cache (e.g. base URL + org/project). */
  accountKey(): string;

  /** `req.signal` (kept for older callers) and `opts.signal` both abort the upload. */
  upload(req: UploadRequest, opts?: RequestOptions): Promise<UploadedFile>;
  /** Returns undefined when the provider no longer has the file. */
  getFile(id: string, opts?: RequestOptions): Promise<UploadedFile | undefined>;
  createJob(req: CreateJobRequest, opts?: RequestOptions): Promise<Job>;
  getJob(id: string, opts?: RequestOptions): Promise<Job>;
  listJobs(list?: ListJobsOptions, opts?: RequestOptions): Promise<Page<Job>>;
  cancelJob(id: string, opts?: RequestOptions): Promise<Job>;
  /** Events newest first, as providers return them; `after` is the cursor. */
  listEvents(jobId: string, list?: ListOptions, opts?: RequestOptions): Promise<Page<JobEvent>>;
  listCheckpoints(jobId: string, list?: ListOptions, opts?: RequestOptions): Promise<Page<Checkpoint>>;
  /** What the provider says about a model id (existence, retirement). */
  getModel(id: string, opts?: RequestOptions): Promise<ProviderModel>;
  /**
   * Looks for the job a ledger entry asked for, by the mark `createJob` left on it (never by
   * creation time alone): `found`, `absent` when the provider surely has none, `unknown` otherwise.
   */
  findCreatedJob(mark: CreatedJobMark, opts?: RequestOptions): Promise<JobLookup>;
  /** Present where the provider can pause a running job (and resume it later). */
  pauseJob?(id: string, opts?: RequestOptions): Promise<Job>;
  resumeJob?(id: string, opts?: RequestOptions): Promise<Job>;
  /** Present where a trained model needs a deployment step before it serves traffic. */
  deploy?(job: Job, request: DeployRequest, opts?: RequestOptions): Promise<DeployResult>;
  /** A deployment's current state, by the `id` `deploy` returned (for waiting until it serves). */
  getDeployment?(id: string, opts?: RequestOptions): Promise<DeployResult>;
  /** Checks with the provider that the job can run (Bedrock: role set, base model offered in the Region and not at end of life), before anything is uploaded. */
  checkBaseModel?(baseModel: string, opts?: RequestOptions): Promise<void>;
  /** The create request as it will be sent, in the provider's own field names (for `--dry-run`). */
  previewCreateJob?(req: CreateJobRequest): WireRequest;
  /**
   * Present where routing to a succeeded job's model takes more than its id (a Vertex endpoint's
   * project, region and number): the manifest's serving facts, for `--register`.
   */
  servingFacts?(job: Job, opts?: RequestOptions): Promise<ServingFacts | undefined>;
  /** The provider's own price for the job on uploaded files, where it has an estimate call (Together); `--max-cost` checks it before the create. */
  estimateCost?(req: Omit<CreateJobRequest, 'ledgerId'>, opts?: RequestOptions): Promise<ProviderCostEstimate>;
}

/** What a provider's price estimate says (`estimateCost`). */
export interface ProviderCostEstimate {
  usd: number | null;
  /** The provider's own verdict for the account (e.g. its credit limit); null when it did not say. */
  allowedToProceed: boolean | null;
  userLimitUsd: number | null;
  trainTokens: number | null;
  evalTokens: number | null;
}

export interface ProviderFactory {
  readonly name: string;
  readonly displayName: string;
  /** Environment variables the adapter reads its key and endpoint from, for messages and docs. */
  readonly env: {
    apiKey: string;
    baseUrl?: string;
    /** API version (Azure: `OPENAI_API_VERSION`). */
    apiVersion?: string;
    /** Organization or account id (Fireworks: `FIREWORKS_ACCOUNT_ID`). */
    organization?: string;
    /** Project id (Vertex: `GOOGLE_CLOUD_PROJECT`). */
    project?: string;
    /** A bearer token accepted instead of the key (Azure: `AZURE_OPENAI_AD_TOKEN`). */
    token?: string;
  };
  create(settings: ProviderSettings): FineTuningProvider;
}
