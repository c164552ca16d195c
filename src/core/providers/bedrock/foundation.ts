/**
 * Whether a base model can be fine-tuned in the Region right now: ListFoundationModels filtered by
 * customization type says which models are offered there and whether each is still ACTIVE (Claude
 * 3 Haiku, for one, reached end of life in most Regions). A model that cannot be tuned is a usage
 * error naming the Regions or models that can.
 */
import { ListFoundationModelsCommand, type BedrockClient, type FoundationModelSummary } from '@aws-sdk/client-bedrock';
import { UsageError } from '../../errors.js';
import { bedrockContext, fromAwsError } from './errors.js';
import { BEDROCK_MODELS, findBedrockModel, similarModels, type BedrockModel } from './models.js';

export async function listTunable(client: BedrockClient, signal?: AbortSignal): Promise<FoundationModelSummary[]> {
  try {
    const res = await client.send(new ListFoundationModelsCommand({ byCustomizationType: 'FINE_TUNING' }), { abortSignal: signal });
    return res.modelSummaries ?? [];
  } catch (err) {
    throw fromAwsError(err, bedrockContext('list the models it can fine-tune'), signal);
  }
}

/** The known model for this id, or a usage error naming the ones llmgw can prepare data for. */
export function knownModel(id: string): BedrockModel {
  const model = findBedrockModel(id);
  if (model) return model;
  const near = similarModels(id);
  throw new UsageError('base_model_not_supported', `llmgw cannot fine-tune "${id}" on Bedrock: it is not a model whose training format llmgw knows.`, {
    hint: near.length > 0 ? `did you mean ${near.map((m) => m.id).join(' or ')}? (customization ids carry a context suffix such as :300k)` : `use one of: ${BEDROCK_MODELS.map((m) => m.id).join(', ')}`,
  });
}

/** Refuses a model the Region does not offer for fine-tuning, or offers only as LEGACY. */
export function assertTunable(model: BedrockModel, offered: FoundationModelSummary[], region: string): void {
  const active = offered.filter((m) => (m.modelLifecycle?.status ?? 'ACTIVE') === 'ACTIVE' && m.customizationsSupported?.includes('FINE_TUNING'));
  const here = offered.find((m) => m.modelId === model.id);
  const others = active.map((m) => m.modelId).filter((id): id is string => id !== undefined && findBedrockModel(id) !== undefined);
  const alternatives = others.length > 0 ? `models you can fine-tune in ${region}: ${others.join(', ')}` : `no model llmgw knows is offered for fine-tuning in ${region}`;
  if (!here) {
    const elsewhere = model.regions.filter((r) => r !== region);
    throw new UsageError('base_model_not_in_region', `${model.name} (${model.id}) cannot be fine-tuned in ${region}.`, {
      hint: `${elsewhere.length > 0 ? `the Bedrock guide lists it in ${elsewhere.join(', ')} (pass --region ${elsewhere[0]}); ` : ''}${alternatives}`,
    });
  }
  if (here.modelLifecycle?.status && here.modelLifecycle.status !== 'ACTIVE') {
    const eol = here.modelLifecycle.endOfLifeTime ? ` (end of life ${here.modelLifecycle.endOfLifeTime.toISOString().slice(0, 10)})` : '';
    throw new UsageError('base_model_end_of_life', `${model.name} (${model.id}) is ${here.modelLifecycle.status} in ${region}${eol}: Bedrock no longer starts fine-tuning jobs for it.`, { hint: alternatives });
  }
}
