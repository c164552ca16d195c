import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as llmgw from '../../../src/core/index.js';
import { FIXTURES } from './helpers.js';

const root = join(import.meta.dirname, '../../..');

describe('the library API a gateway imports', () => {
  it('loads a manifest file, resolves an alias with its fallbacks, and picks targets by weight', async () => {
    const m = await llmgw.loadManifest(join(FIXTURES, 'routes.json'));
    const r = llmgw.resolveAlias(m, 'support-bot');
    expect(r.targets.map((t) => t.weight)).toEqual([90, 10]);
    expect(r.fallbacks.map((f) => f.alias)).toEqual(['support-eu']);
    expect(llmgw.pickTarget(r, () => 0.95).providerModelId).toBe('ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12');
    const counts = { stable: 0, canary: 0 };
    const random = llmgw.seededRandom(3);
    for (let i = 0; i < 1000; i += 1) counts[llmgw.pickTarget(r, random).role as 'stable' | 'canary'] += 1;
    expect(counts.stable + counts.canary).toBe(1000);
    expect(counts.canary).toBeGreaterThan(50); // 10% of 1000, sd ≈ 9.5
    expect(counts.canary).toBeLessThan(150);
  });

  it('parseManifest rejects an invalid manifest with every problem', () => {
    const bad = JSON.parse(readFileSync(join(FIXTURES, 'routes.json'), 'utf8'));
    bad.aliases['support-bot'].targets[0].model = 'missing';
    expect(() => llmgw.parseManifest(bad)).toThrow(llmgw.ManifestInvalidError);
  });

  it('accepts the starter manifest `llmgw init` writes', () => {
    const starter = readFileSync(join(root, 'templates', 'llmgw.routes.json'), 'utf8');
    expect(llmgw.checkManifest(JSON.parse(starter)).problems).toEqual([]);
  });
});
