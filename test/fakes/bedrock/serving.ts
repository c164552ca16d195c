/**
 * The serving half of the fake Bedrock control plane: custom model deployments (on-demand, for
 * the base models the user guide lists) and Provisioned Throughput. Both take a client token;
 * both move Creating → Active/InService (or Failed) one step per read.
 */
import { readJson, type RequestContext, type Router } from '../shared/http.js';
import { arn, awsError, invalid, lastSegment, page, PATTERNS, requireString } from './wire.js';

/** Base models whose custom models the user guide allows to deploy on demand. */
const ON_DEMAND_BASES = ['amazon.nova-micro-v1:0:128k', 'amazon.nova-lite-v1:0:300k', 'amazon.nova-pro-v1:0:300k'];

interface Resource {
  wire: Record<string, unknown> & { status: string };
  request: string;
  token: string | undefined;
  /** Reads left before it settles. */
  reads: number;
  settlesAs: string;
}

export interface ServingState {
  deployments: Map<string, Resource>;
  throughputs: Map<string, Resource>;
  /** The next deployment or throughput created ends Failed. */
  failNext(): void;
  routes(router: Router): void;
}

export function serving(region: string, nextTick: () => number, iso: (tick: number) => string, baseOf: (customModelArn: string) => string | undefined): ServingState {
  const deployments = new Map<string, Resource>();
  const throughputs = new Map<string, Resource>();
  let failNext = false;

  const settle = (r: Resource): void => {
    if (r.wire.status !== 'Creating') return;
    if (r.reads > 0) {
      r.reads--;
      return;
    }
    r.wire.status = r.settlesAs;
    r.wire.lastUpdatedAt = r.wire.lastModifiedTime = iso(nextTick());
    if (r.settlesAs === 'Failed') r.wire.failureMessage = 'Insufficient capacity to serve the model in this Region. Try again later.';
  };

  /** Token idempotency shared by both resources: same token and body → the same resource, different body → ConflictException. */
  const byToken = (map: Map<string, Resource>, token: string | undefined, request: string): Resource | undefined => {
    if (!token) return undefined;
    const same = [...map.values()].find((r) => r.token === token);
    if (same && same.request !== request) throw awsError('ConflictException', 'The request token was already used for a request with different parameters.');
    return same;
  };

  const customModel = (id: string): string => {
    if (!/custom-model\//.test(id) || !baseOf(id)) throw awsError('ResourceNotFoundException', `Custom model ${id} was not found or is not active.`);
    return baseOf(id) ?? '';
  };

  const create = (kind: 'deployment' | 'throughput') => async (ctx: RequestContext) => {
    const body = (await readJson(ctx, 64 * 1024, () => invalid('Invalid JSON body.'))) as Record<string, unknown> | undefined;
    if (!body) throw invalid('Request body is empty.');
    const token = body.clientRequestToken === undefined ? undefined : requireString(body, 'clientRequestToken', PATTERNS.token, 256);
    const request = JSON.stringify({ ...body, clientRequestToken: undefined });
    const map = kind === 'deployment' ? deployments : throughputs;
    const same = byToken(map, token, request);
    if (same) return kind === 'deployment' ? { status: 202, json: { customModelDeploymentArn: same.wire.customModelDeploymentArn } } : { status: 201, json: { provisionedModelArn: same.wire.provisionedModelArn } };
    const nameKey = kind === 'deployment' ? 'modelDeploymentName' : 'provisionedModelName';
    const name = requireString(body, nameKey, PATTERNS.deploymentName, 63);
    if ([...map.values()].some((r) => r.wire[nameKey] === name)) throw awsError('ConflictException', `A resource named ${name} already exists.`);
    const modelArn = requireString(body, kind === 'deployment' ? 'modelArn' : 'modelId');
    const base = customModel(modelArn);
    const id = `${Date.now().toString(36)}${map.size}`.slice(-12).padStart(12, 'x');
    const tick = nextTick();
    const settlesAs = failNext ? 'Failed' : kind === 'deployment' ? 'Active' : 'InService';
    failNext = false;
    if (kind === 'deployment') {
      if (!ON_DEMAND_BASES.includes(base)) throw invalid(`On-demand deployment is not supported for custom models of ${base}. Use Provisioned Throughput.`);
      const wire = { customModelDeploymentArn: arn(region, `custom-model-deployment/${id}`), modelDeploymentName: name, modelArn, createdAt: iso(tick), status: 'Creating' };
      deployments.set(id, { wire, request, token, reads: 1, settlesAs });
      return { status: 202, json: { customModelDeploymentArn: wire.customModelDeploymentArn } };
    }
    const units = body.modelUnits;
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1) throw invalid("1 validation error detected: Value at 'modelUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const wire = {
      provisionedModelArn: arn(region, `provisioned-model/${id}`),
      provisionedModelName: name,
      modelArn,
      desiredModelArn: modelArn,
      foundationModelArn: `arn:aws:bedrock:${region}::foundation-model/${base}`,
      modelUnits: units,
      desiredModelUnits: units,
      creationTime: iso(tick),
      lastModifiedTime: iso(tick),
      status: 'Creating',
      ...(typeof body.commitmentDuration === 'string' ? { commitmentDuration: body.commitmentDuration } : {}),
    };
    throughputs.set(id, { wire, request, token, reads: 1, settlesAs });
    return { status: 201, json: { provisionedModelArn: wire.provisionedModelArn } };
  };

  const get = (map: Map<string, Resource>, what: string) => (ctx: RequestContext) => {
    const key = ctx.params.id ?? '';
    const r = map.get(lastSegment(key)) ?? [...map.values()].find((x) => x.wire.modelDeploymentName === key || x.wire.provisionedModelName === key);
    if (!r) throw awsError('ResourceNotFoundException', `${what} ${key} was not found.`);
    settle(r);
    return { json: r.wire };
  };

  const list = (map: Map<string, Resource>, field: string) => (ctx: RequestContext) => {
    let all = [...map.values()].map((r) => r.wire).reverse();
    const name = ctx.query.get('nameContains');
    const model = ctx.query.get('modelArnEquals');
    if (name) all = all.filter((w) => String(w.modelDeploymentName ?? w.provisionedModelName).includes(name));
    if (model) all = all.filter((w) => w.modelArn === model);
    const { items, nextToken } = page(all, ctx.query);
    return { json: { [field]: items, ...(nextToken ? { nextToken } : {}) } };
  };

  return {
    deployments,
    throughputs,
    failNext: () => (failNext = true),
    routes(router) {
      router
        .on('POST', '/model-customization/custom-model-deployments', create('deployment'))
        .on('GET', '/model-customization/custom-model-deployments', list(deployments, 'modelDeploymentSummaries'))
        .on('GET', '/model-customization/custom-model-deployments/:id', get(deployments, 'Custom model deployment'))
        .on('POST', '/provisioned-model-throughput', create('throughput'))
        .on('GET', '/provisioned-model-throughputs', list(throughputs, 'provisionedModelSummaries'))
        .on('GET', '/provisioned-model-throughput/:id', get(throughputs, 'Provisioned model'));
    },
  };
}
