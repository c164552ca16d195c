/**
 * A pasted key in the manifest is refused whatever the provider: each format llmgw routes to, in
 * any field, and anything credential-like where an environment variable's name belongs. Sample
 * keys are built at run time from their documented shape (never real keys).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportManifest } from '../../../src/core/manifest/export/index.js';
import { checkManifest } from '../../../src/core/manifest/parse.js';
import { FIXTURES } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = () => JSON.parse(readFileSync(join(FIXTURES, 'routes.json'), 'utf8')) as Record<string, any>;
const secretPaths = (v: unknown) => checkManifest(v).problems.filter((p) => p.code === 'secret_in_manifest').map((p) => p.path);
const rep = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

const KEYS: Record<string, string> = {
  openai: `sk-proj-${rep('Ab3dE', 40)}`,
  anthropic: `sk-ant-api03-${rep('Xy9Z_', 60)}`,
  openrouter: `sk-or-v1-${rep('0a1b2c3d', 64)}`,
  fireworks: `fw_${rep('3ZmQx9Lp', 24)}`,
  azure: rep('9f8e7d6c', 32),
  azureAiServices: rep('Ab1Cd2Ef3', 84),
  together: rep('4b5c6d7e', 64),
  togetherV1: `tgp_v1_${rep('Qw3rTy_', 43)}`,
  mistral: rep('aB3dE5gH', 32),
  gemini: `AIza${rep('Sy9-_aB', 35)}`,
  googleToken: `ya29.${rep('a0AfB_', 60)}`,
  awsKeyId: `AKIA${rep('IOSFODNN7', 16)}`,
  awsSecret: rep('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40),
};

describe('pasted keys', () => {
  for (const [provider, key] of Object.entries(KEYS)) {
    it(`refuses a ${provider} key in a free field and in an env-name field, and keeps it out of the message`, () => {
      const v = raw();
      v.providers.together['x-note'] = key;
      v.providers.openai.apiKeyEnv = key;
      const check = checkManifest(v);
      expect(secretPaths(v)).toEqual(expect.arrayContaining(['$.providers.together["x-note"]', '$.providers.openai.apiKeyEnv']));
      expect(JSON.stringify(check.problems)).not.toContain(key);
    });
  }

  it('refuses credential-like values in env-name fields that pass as names', () => {
    for (const value of ['a3f5c2e1b4d6978a', 'Zx81kQ2mN7pL4vR9tY3wB6cD', 'OPENAI_API_KEY_sk-proj-Ab3dEAb3dEAb3dEAb3dE']) {
      const v = raw();
      v.providers.openai.apiKeyEnv = value;
      expect(secretPaths(v), value).toContain('$.providers.openai.apiKeyEnv');
    }
  });

  it('accepts what is not a key: env names, hashes in hash fields, ids, ARNs, endpoint ids', () => {
    const v = raw();
    v.providers.openai.apiKeyEnv = 'OPENAI_API_KEY_EU_WEST_2024';
    v.models['support-eu-ft'].datasetHash = rep('9f8e7d6c', 64);
    v.models['support-eu-ft'].jobId = 'ftjob-9f8e7d6c9f8e7d6c9f8e7d6c9f8e7d6c';
    v.models['support-eu-ft'].providerModelId = 'gpt-4o-mini-2024-07-18.ft-9f8e7d6c9f8e7d6c9f8e7d6c9f8e7d6c';
    v.models['support-eu-ft']['x-endpoint'] = '1234567890123456789012345678901234567890';
    expect(secretPaths(v)).toEqual([]);
  });

  it('the fixture exports carry no key of any format', () => {
    const v = raw();
    const m = checkManifest(v).manifest;
    expect(m).toBeDefined();
    for (const to of ['litellm', 'portkey'] as const) {
      const text = exportManifest(m!, to, { source: 'llmgw.routes.json' }).text;
      for (const key of Object.values(KEYS)) expect(text).not.toContain(key);
    }
  });
});
