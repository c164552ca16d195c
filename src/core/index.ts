/**
 * llmgw as a library (`import { loadManifest, resolveAlias, pickTarget } from 'llmgw'`): what a
 * gateway or a deployment script needs to read the routing manifest, plus the core types.
 * Everything here is pure: no CLI libraries, no process globals.
 */

// The routing manifest: read, check, resolve, pick.
export { loadManifest, manifestHistory, updateManifest } from './manifest/store.js';
export type { StoreOptions, WriteOptions, WriteResult } from './manifest/store.js';
export { ManifestInvalidError, checkManifest, parseManifest, serializeManifest } from './manifest/parse.js';
export type { ManifestCheck } from './manifest/parse.js';
export type { ManifestProblem } from './manifest/problems.js';
export { emptyManifest, manifestSchema, MANIFEST_SCHEMA_VERSION, PROVIDER_TYPES, TARGET_ROLES } from './manifest/schema.js';
export type { Alias, Manifest, ManifestInput, ModelEntry, ProviderEntry, ProviderType, RetryPolicy, Target, TargetRole } from './manifest/schema.js';
export { pickTarget, primaryTier, resolveAlias, sampleSplit, seededRandom } from './manifest/resolve.js';
export type { ResolvedAlias, ResolvedTarget } from './manifest/resolve.js';
export { historyPathFor } from './manifest/history.js';
export type { HistoryEntry } from './manifest/history.js';
export { promote, register, restoreTargets, rollback } from './manifest/transitions.js';
export type { Change, HistoryAction, NewModel } from './manifest/transitions.js';
export { registerJobResult, registerModel } from './manifest/register-job.js';
export type { JobResult } from './manifest/register-job.js';
export { manifestJsonSchema } from './manifest/json-schema.js';

// Errors and provider-neutral types.
export { CheckFailedError, ConfigError, ExitCode, InterruptedError, LlmgwError, ProviderError, TimeoutError, UsageError, isLlmgwError } from './errors.js';
export type { Job, JobStatus, ProviderModel, TrainingMethod } from './providers/types.js';
