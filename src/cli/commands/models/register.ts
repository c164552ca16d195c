import { registerModel } from '../../../core/manifest/register-job.js';
import { fineTuneBase } from '../../../core/models/retirements.js';
import type { CommandContext } from '../../command.js';
import { resolveDefault } from '../../settings.js';
import { displayPath, manifestPath, writeOptions, type WriteOpts } from './shared.js';
import { renderWrite, writeData } from './write.render.js';

interface Opts extends WriteOpts {
  provider?: string;
  baseModel?: string;
  job?: string;
  deployment?: string;
  datasetHash?: string;
  baseUrl?: string;
  resourceName?: string;
  apiVersion?: string;
  apiKeyEnv?: string;
}

/** `llmgw models register <alias> <model-id>`: creates the manifest when there is none yet. */
export async function run(ctx: CommandContext, args: string[], opts: Opts): Promise<number> {
  const [alias = '', modelId = ''] = args;
  const path = manifestPath(ctx, opts);
  const provider = resolveDefault(ctx, 'provider', { value: opts.provider, name: '--provider' }).value ?? 'openai';
  const baseModel = opts.baseModel ?? fineTuneBase(modelId);
  const result = await registerModel(writeOptions(ctx, path, opts), {
    alias,
    model: {
      id: modelId,
      provider,
      providerModelId: modelId,
      ...(baseModel ? { baseModel } : {}),
      ...(opts.deployment ? { deployment: opts.deployment } : {}),
      ...(opts.job ? { jobId: opts.job } : {}),
      ...(opts.datasetHash ? { datasetHash: opts.datasetHash } : {}),
    },
    providerFacts: { baseUrl: opts.baseUrl, resourceName: opts.resourceName, apiVersion: opts.apiVersion, apiKeyEnv: opts.apiKeyEnv },
  });
  if (result.created) ctx.out.info(`created ${displayPath(ctx, path)}`);
  const data = writeData(displayPath(ctx, path), result);
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderWrite(ctx.out.c, data));
  return 0;
}
