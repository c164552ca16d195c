import { describe, expect, it } from 'vitest';
import { checkManifest } from '../../../src/core/manifest/parse.js';
import { emptyManifest } from '../../../src/core/manifest/schema.js';
import { promote, register, restoreTargets, rollback } from '../../../src/core/manifest/transitions.js';
import { A, B, C, manifestWith, weights } from './helpers.js';

const valid = (m: Parameters<typeof checkManifest>[0]) => expect(checkManifest(m).problems).toEqual([]);

describe('register', () => {
  it('adds the model and points a new alias at it (stable, 100)', () => {
    const c = register(emptyManifest(0), { alias: 'support-bot', model: { id: A, provider: 'openai', providerModelId: A, baseModel: 'gpt-4o-mini-2024-07-18', jobId: 'ftjob-1' }, providerEntry: { type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' }, createdAt: '2026-11-01T00:00:00.000Z' });
    expect(c.action).toBe('register');
    expect(c.before).toBeNull();
    expect(c.after?.targets).toEqual([{ id: 'support-bot.support-AbC12345', model: A, role: 'stable', weight: 100, priority: 0 }]);
    expect(c.manifest.models[A]).toMatchObject({ provider: 'openai', jobId: 'ftjob-1', createdAt: '2026-11-01T00:00:00.000Z' });
    expect(c.manifest.providers.openai).toEqual({ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' });
    valid(c.manifest);
  });

  it('adds a model to an existing alias as a candidate without traffic', () => {
    const m = manifestWith('support-bot', A, B);
    expect(weights(m, 'support-bot')).toEqual({ [A]: 'stable:100', [B]: 'candidate:0' });
    valid(m);
  });

  it('refuses to change a registered model (immutable) and to add it twice to one alias', () => {
    const m = manifestWith('support-bot', A);
    expect(() => register(m, { alias: 'other', model: { id: A, provider: 'openai', providerModelId: A, jobId: 'ftjob-other' }, createdAt: 'x' })).toThrow(expect.objectContaining({ code: 'model_immutable' }));
    expect(() => register(m, { alias: 'support-bot', model: { id: A, provider: 'openai', providerModelId: A }, createdAt: 'x' })).toThrow(expect.objectContaining({ code: 'already_registered' }));
    // the same facts on another alias are fine
    const c = register(m, { alias: 'other', model: { id: A, provider: 'openai', providerModelId: A }, createdAt: 'later' });
    expect(c.manifest.models[A]?.createdAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it('refuses an unknown provider and a bad alias name', () => {
    expect(() => register(emptyManifest(0), { alias: 'a', model: { id: A, provider: 'nope', providerModelId: A }, createdAt: 'x' })).toThrow(expect.objectContaining({ code: 'unknown_provider' }));
    expect(() => register(emptyManifest(0), { alias: 'has space', model: { id: A, provider: 'openai', providerModelId: A }, createdAt: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_alias' }));
  });
});

describe('promote', () => {
  it('makes the model stable at 100 and keeps the old stable as previous at 0', () => {
    const c = promote(manifestWith('bot', A, B), 'bot', B);
    expect(c.action).toBe('promote');
    expect(weights(c.manifest, 'bot')).toEqual({ [B]: 'stable:100', [A]: 'previous:0' });
    expect(c.manifest.aliases.bot?.targets.map((t) => t.model)).toEqual([B, A]);
    valid(c.manifest);
  });

  it('--canary N gives the model N and the stable 100-N', () => {
    const c = promote(manifestWith('bot', A, B), 'bot', B, { canary: 10 });
    expect(c.action).toBe('canary');
    expect(weights(c.manifest, 'bot')).toEqual({ [A]: 'stable:90', [B]: 'canary:10' });
    valid(c.manifest);
  });

  it('promoting the current canary without --canary completes it', () => {
    const canary = promote(manifestWith('bot', A, B), 'bot', B, { canary: 25 }).manifest;
    const c = promote(canary, 'bot', B);
    expect(c.action).toBe('complete');
    expect(weights(c.manifest, 'bot')).toEqual({ [B]: 'stable:100', [A]: 'previous:0' });
  });

  it('a new canary drains an unfinished one to candidate', () => {
    const first = promote(manifestWith('bot', A, B, C), 'bot', B, { canary: 10 }).manifest;
    const c = promote(first, 'bot', C, { canary: 5 });
    expect(weights(c.manifest, 'bot')).toEqual({ [A]: 'stable:95', [C]: 'canary:5', [B]: 'candidate:0' });
    valid(c.manifest);
  });

  it('a registered model not yet on the alias gets a target', () => {
    const m = manifestWith('other', B);
    const both = { ...m, aliases: { ...manifestWith('bot', A).aliases, ...m.aliases }, models: { ...m.models, ...manifestWith('bot', A).models } };
    const c = promote(both, 'bot', B);
    expect(weights(c.manifest, 'bot')).toEqual({ [B]: 'stable:100', [A]: 'previous:0' });
  });

  it('refuses what makes no sense', () => {
    const m = manifestWith('bot', A, B);
    expect(() => promote(m, 'bot', A)).toThrow(expect.objectContaining({ code: 'already_stable' }));
    expect(() => promote(m, 'bot', A, { canary: 10 })).toThrow(expect.objectContaining({ code: 'canary_is_stable' }));
    expect(() => promote(m, 'bot', B, { canary: 100 })).toThrow(expect.objectContaining({ code: 'invalid_canary' }));
    expect(() => promote(m, 'bot', B, { canary: 0 })).toThrow(expect.objectContaining({ code: 'invalid_canary' }));
    expect(() => promote(m, 'bot', 'ft:unknown')).toThrow(expect.objectContaining({ code: 'unknown_model' }));
    expect(() => promote(m, 'nope', B)).toThrow(expect.objectContaining({ code: 'unknown_alias', exitCode: 2 }));
  });
});

describe('rollback', () => {
  it('swaps stable and previous, and a second rollback swaps back', () => {
    const promoted = promote(manifestWith('bot', A, B), 'bot', B).manifest;
    const back = rollback(promoted, 'bot');
    expect(back.action).toBe('rollback');
    expect(weights(back.manifest, 'bot')).toEqual({ [A]: 'stable:100', [B]: 'previous:0' });
    expect(weights(rollback(back.manifest, 'bot').manifest, 'bot')).toEqual({ [B]: 'stable:100', [A]: 'previous:0' });
  });

  it('drains an unfinished canary and gives the stable all traffic again', () => {
    const canary = promote(manifestWith('bot', A, B), 'bot', B, { canary: 30 }).manifest;
    expect(weights(rollback(canary, 'bot').manifest, 'bot')).toEqual({ [A]: 'stable:100', [B]: 'candidate:0' });
  });

  it('goes back to the newest previous first', () => {
    let m = promote(manifestWith('bot', A, B, C), 'bot', B).manifest; // A previous
    m = promote(m, 'bot', C).manifest; // B previous (newest), A previous
    expect(m.aliases.bot?.targets.map((t) => `${t.model}:${t.role}`)).toEqual([`${C}:stable`, `${B}:previous`, `${A}:previous`]);
    expect(weights(rollback(m, 'bot').manifest, 'bot')).toMatchObject({ [B]: 'stable:100', [C]: 'previous:0', [A]: 'previous:0' });
  });

  it('says so when there is nothing to go back to', () => {
    expect(() => rollback(manifestWith('bot', A), 'bot')).toThrow(expect.objectContaining({ code: 'nothing_to_roll_back' }));
  });

  it('restoreTargets puts back the targets of an earlier revision as a change', () => {
    const m = manifestWith('bot', A, B);
    const old = m.aliases.bot?.targets ?? [];
    const promoted = promote(m, 'bot', B).manifest;
    const c = restoreTargets(promoted, 'bot', old);
    expect(c.action).toBe('rollback');
    expect(c.after?.targets).toEqual(old);
    expect(c.before?.targets).toEqual(promoted.aliases.bot?.targets);
  });
});
