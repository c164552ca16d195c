import { BEDROCK_SERVING_ARN } from './schema-model.js';
import type { ProviderType } from './provider-types.js';
import type { ModelEntry } from './schema.js';

/**
 * Serving facts that must agree with each other and with the model's provider: the schema checks
 * each field's shape, this checks the fields against one another.
 */
export interface ServingProblem {
  /** Path below `models.<id>.serving`. */
  path: string[];
  code: string;
  message: string;
}

export function servingProblems(id: string, model: ModelEntry, type: ProviderType): ServingProblem[] {
  const problems: ServingProblem[] = [];
  const { vertex, bedrock } = model.serving ?? {};
  if (vertex && type !== 'vertex') problems.push({ path: ['vertex'], code: 'serving_provider_mismatch', message: `model "${id}" has Vertex serving facts but its provider is ${type}` });
  if (bedrock && type !== 'bedrock') problems.push({ path: ['bedrock'], code: 'serving_provider_mismatch', message: `model "${id}" has Bedrock serving facts but its provider is ${type}` });
  if (vertex) {
    const [, project, , location, , endpointId] = vertex.endpoint.split('/');
    if (endpointId !== vertex.endpointId) problems.push({ path: ['vertex', 'endpointId'], code: 'serving_inconsistent', message: `endpointId "${vertex.endpointId}" is not the last segment of endpoint "${vertex.endpoint}"` });
    if (project !== vertex.project || location !== vertex.location) {
      problems.push({ path: ['vertex', 'endpoint'], code: 'serving_inconsistent', message: `endpoint "${vertex.endpoint}" is not in project "${vertex.project}", location "${vertex.location}"` });
    }
  }
  if (bedrock) {
    const match = BEDROCK_SERVING_ARN.exec(bedrock.arn);
    const region = match?.[1];
    const kind = match?.[2] === 'provisioned-model' ? 'provisioned-throughput' : 'custom-model-deployment';
    if (region !== bedrock.region) problems.push({ path: ['bedrock', 'region'], code: 'serving_inconsistent', message: `region "${bedrock.region}" differs from the ARN's region "${region ?? '?'}"` });
    if (kind !== bedrock.kind) problems.push({ path: ['bedrock', 'kind'], code: 'serving_inconsistent', message: `kind "${bedrock.kind}" does not match the ARN, which is a ${kind}` });
  }
  return problems;
}
