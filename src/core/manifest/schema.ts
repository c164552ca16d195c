import { z } from 'zod';
import { extensible } from './extensible.js';
import { PROVIDER_TYPES } from './provider-types.js';
import { evalSummarySchema, servingSchema } from './schema-model.js';

/**
 * The routing manifest, `llmgw.routes.json` (DESIGN §5, docs/manifest.md). Version 1. Every
 * object is strict except for `x-` extension keys. The manifest never holds a secret: providers
 * name the environment variables their credentials live in.
 */

export const MANIFEST_SCHEMA_VERSION = 1;

export { PROVIDER_TYPES, type ProviderType } from './provider-types.js';

export const TARGET_ROLES = ['stable', 'canary', 'previous', 'candidate'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

const isoTime = z.iso.datetime({ offset: true });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY, never the key itself');
const nonBlank = z.string().min(1).regex(/^\S+$/, 'must not be empty or contain spaces');
export const aliasName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@/-]{0,127}$/, 'use letters, digits and . _ @ / - (at most 128 characters)');

export const providerSchema = extensible({
  type: z.enum(PROVIDER_TYPES),
  /** Name of the environment variable holding the API key (Vertex and Bedrock use ADC and the AWS chain instead). */
  apiKeyEnv: envName.optional(),
  /** The API root as the provider's official SDK takes it, e.g. `https://api.together.xyz/v1`. */
  baseUrl: z.url().optional(),
  apiVersion: z.string().min(1).optional(),
  /** Azure resource name (Portkey's `resource_name`). */
  resourceName: z.string().min(1).optional(),
  /** Vertex: default Google Cloud project for models without their own serving facts. */
  project: z.string().min(1).optional(),
  /** Vertex: default location, e.g. `us-central1`. */
  location: z.string().min(1).optional(),
  /** Bedrock: default AWS region, e.g. `us-east-1`. */
  region: z.string().min(1).optional(),
}, { description: 'A provider account; credentials by environment-variable name only.' });

export const modelSchema = extensible({
  /** Key into `providers`. */
  provider: nonBlank,
  /** The id the provider serves, e.g. `ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345`. */
  providerModelId: nonBlank,
  baseModel: nonBlank.optional(),
  /** Azure: the deployment that serves the model. */
  deployment: nonBlank.optional(),
  jobId: nonBlank.optional(),
  datasetHash: nonBlank.optional(),
  createdAt: isoTime,
  metrics: z.record(z.string(), z.number()).optional(),
  /** Vertex endpoint or Bedrock deployment serving a tuned model. */
  serving: servingSchema.optional(),
  /** Evaluations of the model, oldest first (the only part of a model entry that grows after registration). */
  evals: z.array(evalSummarySchema).optional(),
}, { description: 'A registered model: immutable once written, except for appended evals.' });

const statusCode = z.number().int().min(100).max(599);

/** Requests and tokens per minute a gateway may send to one target (LiteLLM `rpm`/`tpm`). */
export const limitsSchema = extensible({
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
});

export const targetSchema = extensible({
  /** Stable id (LiteLLM `model_info.id`, Portkey target `name`), kept across weight changes. */
  id: nonBlank,
  /** Key into `models`. */
  model: nonBlank,
  role: z.enum(TARGET_ROLES),
  weight: z.number().int().nonnegative(),
  /** Lower goes first; higher tiers only get traffic when the lower ones fail. */
  priority: z.number().int().nonnegative().default(0),
  limits: limitsSchema.optional(),
});

export const retrySchema = extensible({
  /** Further attempts after the first, within the same priority tier. */
  attempts: z.number().int().min(0).max(10),
  /** Statuses worth retrying; empty means the default set (408, 429, 500, 502, 503, 504). */
  onStatus: z.array(statusCode).default([]),
});

/** Response caching for an alias: `exact` serves an identical request from the cache. */
export const cacheSchema = extensible({
  mode: z.enum(['off', 'exact']),
  /** How long a cached response is served, in seconds (the gateway's default when left out). */
  ttlSeconds: z.number().int().positive().optional(),
});

export const aliasSchema = extensible({
  targets: z.array(targetSchema),
  /** Other aliases to try, in order, when every target of this one failed. */
  fallbacks: z.array(aliasName).default([]),
  /** Statuses that move a request on (next target, tier or fallback alias); default 408, 429, 500, 502, 503, 504. */
  fallbackOn: z.array(statusCode).optional(),
  retry: retrySchema.optional(),
  /** Time limit of one attempt. */
  timeoutMs: z.number().int().positive().optional(),
  cache: cacheSchema.optional(),
  /** Promotion gate every promote and canary step must pass, e.g. `score>=0.85,delta>=0,p95<=2s` (see docs/commands/eval.md). */
  gate: z.string().min(1).optional(),
});

export const manifestSchema = extensible({
  $schema: z.string().optional(),
  schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
  revision: z.number().int().nonnegative(),
  /** Set on every write; a starter manifest that was never written may leave it out. */
  updatedAt: isoTime.optional(),
  providers: z.record(nonBlank, providerSchema),
  models: z.record(nonBlank, modelSchema),
  aliases: z.record(aliasName, aliasSchema),
}, { title: 'llmgw routing manifest', description: 'llmgw.routes.json: what the gateway routes each alias to.' });

export type Manifest = z.output<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;
export type ProviderEntry = z.output<typeof providerSchema>;
export type ModelEntry = z.output<typeof modelSchema>;
export type Alias = z.output<typeof aliasSchema>;
export type Target = z.output<typeof targetSchema>;
export type RetryPolicy = z.output<typeof retrySchema>;
export type CachePolicy = z.output<typeof cacheSchema>;
export type TargetLimits = z.output<typeof limitsSchema>;

/** Statuses a request is retried and moved on for when the manifest names none: timeouts, rate limits, server errors. */
export const DEFAULT_RETRY_STATUS: readonly number[] = [408, 429, 500, 502, 503, 504];
export const DEFAULT_FALLBACK_STATUS: readonly number[] = DEFAULT_RETRY_STATUS;

/** A manifest with nothing in it, revision 0 (never written). `llmgw init` starts from this. */
export function emptyManifest(now: number | Date = Date.now()): Manifest {
  return {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    revision: 0,
    updatedAt: new Date(now).toISOString(),
    providers: {},
    models: {},
    aliases: {},
  };
}
