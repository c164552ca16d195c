/**
 * Tuned models served by Vertex endpoints and Bedrock deployments: what the manifest keeps of a
 * finished job, what it refuses, and how each gateway export calls them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportManifest } from '../../../src/core/manifest/export/index.js';
import { manifestJsonSchemaText } from '../../../src/core/manifest/json-schema.js';
import { checkManifest, parseManifest } from '../../../src/core/manifest/parse.js';
import { registerJobResult, type ServingFacts } from '../../../src/core/manifest/register-job.js';
import { FIXTURES } from './helpers.js';

const CLOUD = join(FIXTURES, 'cloud');
const text = (name: string) => readFileSync(join(CLOUD, name), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = () => JSON.parse(text('routes.json')) as Record<string, any>;
const cloud = () => parseManifest(text('routes.json'));
const codes = (v: unknown) => checkManifest(v).problems.map((p) => `${p.code} ${p.path}`);
const opts = { source: 'llmgw.routes.json' };

const VERTEX: ServingFacts = {
  vertex: {
    project: 'acme-ml',
    location: 'us-central1',
    endpoint: 'projects/acme-ml/locations/us-central1/endpoints/555',
    endpointId: '555',
    tunedModel: 'projects/acme-ml/locations/us-central1/models/99@1',
  },
};

describe('serving facts in the manifest', () => {
  it('accepts Vertex and Bedrock providers without apiKeyEnv (ADC, AWS chain), but not a key-based one', () => {
    expect(checkManifest(raw()).problems).toEqual([]);
    const v = raw();
    v.providers.openai = { type: 'openai' };
    expect(codes(v)).toEqual(['missing_api_key_env $.providers.openai']);
  });

  it('refuses serving facts that disagree with each other or with the provider', () => {
    const v = raw();
    v.models['gemini-support-tuned'].serving.vertex.endpointId = '42';
    v.models['nova-support'].serving.bedrock.region = 'eu-west-1';
    v.models['nova-support-pt'].serving.bedrock.kind = 'custom-model-deployment';
    v.models['gemini-2.5-flash'].serving = { bedrock: raw().models['nova-support'].serving.bedrock };
    expect(codes(v).sort()).toEqual(
      [
        'serving_inconsistent $.models["gemini-support-tuned"].serving.vertex.endpointId',
        'serving_inconsistent $.models["nova-support"].serving.bedrock.region',
        'serving_inconsistent $.models["nova-support-pt"].serving.bedrock.kind',
        'serving_provider_mismatch $.models["gemini-2.5-flash"].serving.bedrock',
      ].sort(),
    );
  });

  it('refuses a bare custom-model ARN as the ARN to invoke, and unknown serving keys', () => {
    const v = raw();
    v.models['nova-support'].serving.bedrock.arn = v.models['nova-support'].serving.bedrock.customModelArn;
    v.models['gemini-support-tuned'].serving.vertex.endpointUrl = 'https://example.com';
    const found = codes(v);
    expect(found).toContain('schema_invalid_format $.models["nova-support"].serving.bedrock.arn');
    expect(found).toContain('unknown_key $.models["gemini-support-tuned"].serving.vertex.endpointUrl');
  });

  it('documents serving facts and evals in the JSON Schema', () => {
    const model = JSON.parse(manifestJsonSchemaText()).properties.models.additionalProperties;
    expect(model.properties.serving.properties.vertex.required).toEqual(['project', 'location', 'endpoint', 'endpointId', 'tunedModel']);
    expect(model.properties.serving.properties.bedrock.properties.kind.enum).toEqual(['custom-model-deployment', 'provisioned-throughput']);
    expect(model.properties.evals.items.required).toEqual(['score', 'interval', 'dataHash', 'scorer', 'date']);
    expect(model.properties.serving.additionalProperties).toBe(false);
  });

  it('registerJobResult keeps the serving facts on the model and adds a key-less provider entry', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'llmgw-serving-')), 'llmgw.routes.json');
    const r = await registerJobResult({ path, now: () => Date.UTC(2026, 10, 24) }, { alias: 'support', provider: 'vertex', jobId: 'tuningJobs/1', fineTunedModel: 'projects/acme-ml/locations/us-central1/models/99@1', baseModel: 'gemini-2.5-flash', serving: VERTEX });
    expect(r.manifest.providers.vertex).toEqual({ type: 'vertex' });
    expect(r.manifest.models['projects/acme-ml/locations/us-central1/models/99@1']).toMatchObject({ baseModel: 'gemini-2.5-flash', serving: VERTEX });
    const azure = await registerJobResult({ path }, { alias: 'eu', provider: 'azure', jobId: 'ftjob-1', fineTunedModel: 'gpt-4o-mini.ft-1', serving: { deployment: 'eu-ft' } });
    expect(azure.manifest.models['gpt-4o-mini.ft-1']?.deployment).toBe('eu-ft');
    expect(azure.manifest.models['gpt-4o-mini.ft-1']?.serving).toBeUndefined();
  });
});

describe('exports of Vertex and Bedrock targets', () => {
  it('LiteLLM: matches the golden file; vertex_ai/<endpoint id> with project, location and base model; bedrock/<base> with model_id and region', () => {
    const r = exportManifest(cloud(), 'litellm', opts);
    expect(r.text).toBe(text('litellm.config.yaml'));
    const cfg = parseYaml(r.text) as { model_list: { model_info: { id: string; base_model?: string }; litellm_params: Record<string, unknown> }[] };
    const byId = (id: string) => cfg.model_list.find((e) => e.model_info.id === id);
    expect(byId('support-gemini.tuned')?.litellm_params).toEqual({ model: 'vertex_ai/1234567890123456789', vertex_project: 'acme-ml', vertex_location: 'us-central1', weight: 100 });
    expect(byId('support-gemini.tuned')?.model_info.base_model).toBe('vertex_ai/gemini-2.5-flash');
    // the provider's project and location serve a model without serving facts
    expect(byId('gemini-base.flash')?.litellm_params).toMatchObject({ vertex_project: 'acme-ml', vertex_location: 'europe-west4' });
    expect(byId('support-nova.deployment')?.litellm_params).toMatchObject({
      model: 'bedrock/amazon.nova-lite-v1:0',
      model_id: 'arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/dep0support01',
      aws_region_name: 'us-east-1',
    });
    expect(r.text).not.toContain('api_key');
    expect(r.warnings.filter((w) => w.blocking)).toEqual([]);
  });

  it("Portkey: matches the golden file; Bedrock by ARN; the tuned Gemini endpoint it cannot route is a warning naming the alias", () => {
    const r = exportManifest(cloud(), 'portkey', opts);
    expect(r.text).toBe(text('portkey.config.json'));
    const nova = JSON.parse(r.text).configs['support-nova'].targets[0].targets[0];
    expect(nova).toMatchObject({ provider: 'bedrock', aws_region: 'us-east-1', aws_access_key_id: '${AWS_ACCESS_KEY_ID}', override_params: { model: 'arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/dep0support01' } });
    const lost = r.warnings.find((w) => w.code === 'target_not_expressible');
    expect(lost).toMatchObject({ alias: 'support-gemini', target: 'support-gemini.tuned' });
    expect(lost?.message).toContain('support-gemini');
    expect(r.omitted).toContainEqual({ alias: 'support-gemini', target: 'support-gemini.tuned', reason: 'Portkey cannot route it' });
    expect(r.text).not.toContain('1234567890123456789');
    // the alias is left with nothing of its own: requests would never reach the tuned model
    expect(r.warnings.find((w) => w.code === 'no_expressible_target')).toMatchObject({ alias: 'support-gemini', blocking: true });
  });

  it('a target without its region or project is blocking in both exports', () => {
    const v = raw();
    delete v.providers.vertex.project;
    delete v.providers.bedrock.region;
    v.aliases['support-nova'].targets[1].model = 'nova-base';
    v.models['nova-base'] = { provider: 'bedrock', providerModelId: 'amazon.nova-lite-v1:0', createdAt: '2026-11-01T00:00:00.000Z' };
    const m = parseManifest(v);
    for (const to of ['litellm', 'portkey'] as const) {
      const blocking = exportManifest(m, to, opts).warnings.filter((w) => w.blocking).map((w) => `${w.code} ${w.target}`);
      expect(blocking).toEqual(expect.arrayContaining(['missing_project gemini-base.flash', 'missing_region support-nova.provisioned']));
    }
  });
});
