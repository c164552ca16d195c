import { z } from 'zod';
import { extensible } from './extensible.js';

/**
 * What a model entry records beyond its id: where a tuned model is served (Vertex endpoint,
 * Bedrock deployment or provisioned throughput) and the evaluations it passed. Kept apart from
 * schema.ts so the model entry's shape reads in one place.
 */

const isoTime = z.iso.datetime({ offset: true });

const VERTEX_ENDPOINT = /^projects\/[^/\s]+\/locations\/[^/\s]+\/endpoints\/\d+$/;
const VERTEX_MODEL = /^projects\/[^/\s]+\/locations\/[^/\s]+\/models\/[^/\s]+$/;
/** A Bedrock ARN that can be invoked: a custom-model deployment or a provisioned throughput. */
export const BEDROCK_SERVING_ARN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]+):\d{12}:(custom-model-deployment|provisioned-model)\/[A-Za-z0-9._-]+$/;

export const vertexServingSchema = extensible(
  {
    /** Google Cloud project id of the endpoint. */
    project: z.string().min(1),
    /** Region of the endpoint, e.g. `us-central1`. */
    location: z.string().min(1),
    /** The endpoint's resource name, `projects/…/locations/…/endpoints/N`. */
    endpoint: z.string().regex(VERTEX_ENDPOINT, 'must be an endpoint resource name: projects/P/locations/L/endpoints/N'),
    /** The endpoint's numeric id (the last segment of `endpoint`): what LiteLLM calls. */
    endpointId: z.string().regex(/^\d+$/, 'must be the numeric endpoint id'),
    /** The tuned model's resource name, `projects/…/locations/…/models/M@1`. */
    tunedModel: z.string().regex(VERTEX_MODEL, 'must be a model resource name: projects/P/locations/L/models/M'),
  },
  { description: 'Vertex AI: the endpoint serving a tuned model (from the finished tuning job).' },
);

export const bedrockServingSchema = extensible(
  {
    /** AWS region of the deployment. */
    region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
    /** The ARN to invoke: a custom-model deployment or a provisioned throughput, never the bare custom-model ARN. */
    arn: z.string().regex(BEDROCK_SERVING_ARN, 'must be a custom-model-deployment or provisioned-model ARN (the bare custom-model ARN cannot be invoked)'),
    kind: z.enum(['custom-model-deployment', 'provisioned-throughput']),
    /** The custom model the deployment serves. */
    customModelArn: z.string().regex(/^arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]+:\d{12}:custom-model\/\S+$/, 'must be a custom-model ARN'),
  },
  { description: 'Amazon Bedrock: how a custom model is served (on-demand deployment or provisioned throughput).' },
);

export const servingSchema = extensible(
  {
    vertex: vertexServingSchema.optional(),
    bedrock: bedrockServingSchema.optional(),
  },
  { description: 'Where a tuned model is served, when that is more than its id (Azure keeps `deployment` on the model itself).' },
);

export const evalSummarySchema = extensible(
  {
    /** The score the scorer gave over the eval set, higher is better. */
    score: z.number(),
    /** Confidence interval of the score. */
    interval: extensible({ low: z.number(), high: z.number(), level: z.number().gt(0).lt(1).default(0.95) }),
    /** Hash of the eval data, so two models are only compared on the same data. */
    dataHash: z.string().min(1),
    /** Which scorer produced the score (name and version), e.g. `exact-match@1`. */
    scorer: z.string().min(1),
    /** When the evaluation ran. */
    date: isoTime,
    /** How many examples were scored. */
    examples: z.number().int().positive().optional(),
    /** Latency of the answers, in ms (the promote gate's `p50`/`p95`). */
    latencyMs: extensible({ p50: z.number().nonnegative(), p95: z.number().nonnegative() }).optional(),
    /** Paired comparisons with other models run on the same examples, by model id: this score minus theirs. */
    vs: z.record(z.string(), extensible({ delta: z.number(), low: z.number(), high: z.number(), pValue: z.number().min(0).max(1) })).optional(),
  },
  { description: 'One evaluation of the model (written by `llmgw eval`; read by `models promote --gate`).' },
);

export type VertexServing = z.output<typeof vertexServingSchema>;
export type BedrockServing = z.output<typeof bedrockServingSchema>;
export type Serving = z.output<typeof servingSchema>;
export type EvalSummary = z.output<typeof evalSummarySchema>;
