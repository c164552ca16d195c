/**
 * Making a custom model serve traffic. Its custom-model ARN cannot be invoked: Nova models are
 * deployed on demand (CreateCustomModelDeployment, billed per use); everything else needs
 * Provisioned Throughput (CreateProvisionedModelThroughput, billed by the hour per model unit),
 * which llmgw buys only when asked. The name and client token come from the ledger id, so running
 * the same deploy again finds the first deployment instead of paying for a second.
 */
import {
  CreateCustomModelDeploymentCommand,
  CreateProvisionedModelThroughputCommand,
  GetCustomModelDeploymentCommand,
  GetProvisionedModelThroughputCommand,
  type BedrockClient,
} from '@aws-sdk/client-bedrock';
import { UsageError, isLlmgwError } from '../../errors.js';
import type { DeployRequest, DeployResult, Job } from '../types.js';
import { bedrockContext, fromAwsError } from './errors.js';
import { findBedrockModel } from './models.js';

/** A deployment or provisioned-model name (letters, digits, single `-`/`_`, ≤ 63), also its client token. */
export function deploymentNameFor(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
}

/** `options.modelUnits` asks for Provisioned Throughput of that many units. */
function provisionedUnits(request: DeployRequest): number | undefined {
  const raw = request.options?.modelUnits;
  if (raw === undefined) return undefined;
  const units = Number(raw);
  if (!Number.isInteger(units) || units < 1) throw new UsageError('invalid_model_units', `modelUnits "${raw}" is not a whole number of at least 1.`, { hint: 'pass --model-units 1 (or more)' });
  return units;
}

export const isProvisionedArn = (arn: string): boolean => /:provisioned-model\//.test(arn);

export async function deployJob(client: BedrockClient, region: string, job: Job, request: DeployRequest, signal?: AbortSignal): Promise<DeployResult> {
  if (job.status !== 'succeeded' || !job.fineTunedModel) {
    throw new UsageError('job_not_deployable', `Job ${job.id} has not produced a model (it is ${job.status}), so there is nothing to deploy.`, { hint: `wait for it with \`llmgw tune watch ${job.id}\`` });
  }
  const modelArn = job.fineTunedModel;
  const model = findBedrockModel(job.baseModel);
  const name = deploymentNameFor(request.name ?? `llmgw-${job.id.slice(-12)}`);
  const units = provisionedUnits(request);
  if (units === undefined && !(model && model.onDemandRegions.includes(region))) {
    const where = model && model.onDemandRegions.length > 0 ? ` in ${region} (on-demand deployment is offered in ${model.onDemandRegions.join(', ')})` : '';
    throw new UsageError('deployment_needs_provisioned', `${model?.name ?? job.baseModel} custom models cannot be deployed on demand${where}: they serve traffic only through Provisioned Throughput, which is billed by the hour while it exists.`, {
      hint: `pass --provisioned --model-units 1 to buy it (see the hourly price per model unit on the Bedrock pricing page), or deploy by hand and register the ARN with \`llmgw models register\``,
    });
  }
  const ctx = bedrockContext(units !== undefined ? `buy Provisioned Throughput for ${modelArn}` : `deploy ${modelArn} on demand`);
  let arn: string;
  try {
    if (units !== undefined) {
      const res = await client.send(new CreateProvisionedModelThroughputCommand({ modelUnits: units, provisionedModelName: name, modelId: modelArn, clientRequestToken: name }), { abortSignal: signal });
      arn = res.provisionedModelArn ?? name;
    } else {
      const res = await client.send(new CreateCustomModelDeploymentCommand({ modelDeploymentName: name, modelArn, clientRequestToken: name }), { abortSignal: signal });
      arn = res.customModelDeploymentArn ?? name;
    }
  } catch (err) {
    // The name is taken: an earlier run created it (its token may have expired); use that one.
    if ((err as { name?: string }).name !== 'ConflictException') throw fromAwsError(err, ctx, signal);
    arn = name;
  }
  const found = await getDeployment(client, region, arn, units !== undefined, signal);
  const served = (found.serving.bedrock as { customModelArn?: string } | undefined)?.customModelArn;
  if (served !== modelArn) {
    throw new UsageError('deployment_name_taken', `The Bedrock name ${name} already serves another model (${served ?? 'unknown'}).`, { hint: 'delete that deployment, or deploy this job from another project' });
  }
  return found;
}

/** A deployment or provisioned throughput by ARN (or, with `provisioned` given, by name). */
export async function getDeployment(client: BedrockClient, region: string, arnOrName: string, provisioned = isProvisionedArn(arnOrName), signal?: AbortSignal): Promise<DeployResult> {
  const ctx = bedrockContext(`look up the deployment ${arnOrName}`);
  try {
    if (provisioned) {
      const p = await client.send(new GetProvisionedModelThroughputCommand({ provisionedModelId: arnOrName }), { abortSignal: signal });
      const status = p.status === 'InService' ? 'active' : p.status === 'Failed' ? 'failed' : 'creating';
      const arn = p.provisionedModelArn ?? arnOrName;
      const cleanup = `aws bedrock delete-provisioned-model-throughput --provisioned-model-id ${arn} --region ${region}`;
      return { id: arn, status: p.status ?? 'Creating', state: status, error: p.failureMessage ?? null, cleanup, serving: { bedrock: { region, arn, kind: 'provisioned-throughput', customModelArn: p.modelArn ?? '' } } };
    }
    const d = await client.send(new GetCustomModelDeploymentCommand({ customModelDeploymentIdentifier: arnOrName }), { abortSignal: signal });
    const status = d.status === 'Active' ? 'active' : d.status === 'Failed' ? 'failed' : 'creating';
    const arn = d.customModelDeploymentArn ?? arnOrName;
    const cleanup = `aws bedrock delete-custom-model-deployment --custom-model-deployment-identifier ${arn} --region ${region}`;
    return { id: arn, status: d.status ?? 'Creating', state: status, error: d.failureMessage ?? null, cleanup, serving: { bedrock: { region, arn, kind: 'custom-model-deployment', customModelArn: d.modelArn ?? '' } } };
  } catch (err) {
    if (isLlmgwError(err)) throw err;
    throw fromAwsError(err, ctx, signal);
  }
}
