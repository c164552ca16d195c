import { describe, expect, it } from 'vitest';
import { pickTarget, resolveAlias, sampleSplit, seededRandom } from '../../../src/core/manifest/resolve.js';
import { promote } from '../../../src/core/manifest/transitions.js';
import { A, B, fixtureManifest, manifestWith } from './helpers.js';

describe('resolveAlias', () => {
  it('gives the weighted targets with shares, idle ones apart, and the fallback chain', () => {
    const r = resolveAlias(fixtureManifest(), 'support-bot');
    expect(r.targets.map((t) => [t.id, t.weight, t.share, t.providerModelId])).toEqual([
      ['support-bot.support-AbC12345', 90, 0.9, 'ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345'],
      ['support-bot.support-Qw3rTy12', 10, 0.1, 'ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12'],
    ]);
    expect(r.idle.map((t) => t.id)).toEqual(['support-bot.support-Zz998877']);
    expect(r.fallbacks.map((f) => f.alias)).toEqual(['support-eu']);
    expect(r.fallbacks[0]?.targets.map((t) => [t.id, t.priority, t.share, t.deployment ?? null])).toEqual([
      ['support-eu.az', 0, 1, 'support-eu-ft'],
      ['support-eu.llama', 1, 1, null],
    ]);
    expect(r.targets[0]?.apiKeyEnv).toBe('OPENAI_API_KEY');
    expect(r.retry).toEqual({ attempts: 2, onStatus: [429, 503] });
  });

  it('refuses an unknown alias', () => {
    expect(() => resolveAlias(fixtureManifest(), 'nope')).toThrow(expect.objectContaining({ code: 'unknown_alias' }));
  });
});

describe('pickTarget', () => {
  it('follows the weights: the random number picks the target whose band it falls in', () => {
    const r = resolveAlias(fixtureManifest(), 'support-bot');
    expect(pickTarget(r, () => 0).id).toBe('support-bot.support-AbC12345');
    expect(pickTarget(r, () => 0.899).id).toBe('support-bot.support-AbC12345');
    expect(pickTarget(r, () => 0.9).id).toBe('support-bot.support-Qw3rTy12');
    expect(pickTarget(r, () => 0.999999).id).toBe('support-bot.support-Qw3rTy12');
  });

  it('only picks from the first priority tier', () => {
    const r = resolveAlias(fixtureManifest(), 'support-eu');
    for (const x of [0, 0.5, 0.99]) expect(pickTarget(r, () => x).id).toBe('support-eu.az');
  });

  it('a seeded split is reproducible and close to the weights', () => {
    const r = resolveAlias(promote(manifestWith('bot', A, B), 'bot', B, { canary: 20 }).manifest, 'bot');
    const split = sampleSplit(r, 10_000, 42);
    expect(split).toEqual(sampleSplit(r, 10_000, 42));
    // 20% of 10 000 draws: sd = 40; 6 sd either side cannot flake for a fixed seed, and catches a wrong weight
    expect(Math.abs((split['bot.support-Qw3rTy12'] ?? 0) - 2000)).toBeLessThan(240);
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });
});
