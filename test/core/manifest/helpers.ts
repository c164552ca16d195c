import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../../src/core/manifest/parse.js';
import { emptyManifest, type Manifest } from '../../../src/core/manifest/schema.js';
import { register } from '../../../src/core/manifest/transitions.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/manifest');

export const A = 'ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345';
export const B = 'ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12';
export const C = 'ft:gpt-4.1-mini-2025-04-14:acme:support:Zz998877';

export function fixtureManifest(): Manifest {
  return parseManifest(readFileSync(join(FIXTURES, 'routes.json'), 'utf8'));
}

const OPENAI = { type: 'openai' as const, apiKeyEnv: 'OPENAI_API_KEY' };

/** A manifest with `alias` pointing at `first`, and the other models registered as candidates. */
export function manifestWith(alias: string, first: string, ...others: string[]): Manifest {
  let m = emptyManifest(Date.UTC(2026, 10, 1));
  for (const id of [first, ...others]) {
    m = register(m, { alias, model: { id, provider: 'openai', providerModelId: id }, providerEntry: OPENAI, createdAt: '2026-11-01T00:00:00.000Z' }).manifest;
  }
  return m;
}

/** `{targetId: weight}` of an alias, and the role of each. */
export function weights(m: Manifest, alias: string): Record<string, string> {
  return Object.fromEntries((m.aliases[alias]?.targets ?? []).map((t) => [t.model, `${t.role}:${t.weight}`]));
}
