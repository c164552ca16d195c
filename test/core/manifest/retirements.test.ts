import { describe, expect, it } from 'vitest';
import { findRetirement, inFamily } from '../../../src/core/models/retirements.js';
import { answerKey, retirementFindings, routedModels } from '../../../src/core/manifest/retirement-check.js';
import { fixtureManifest } from './helpers.js';

const today = Date.UTC(2026, 10, 24, 12); // 2026-11-24

describe('retirement table', () => {
  it('matches fine-tunes to their base family', () => {
    expect(findRetirement('openai', 'ft:gpt-4o-mini-2024-07-18:acme:x:AbC12345')?.shutdownDate).toBe('2027-01-14');
    expect(findRetirement('openai', 'ft:gpt-4.1-2025-04-14:acme::AbC12345')?.family).toBe('gpt-4.1');
    expect(findRetirement('openai', 'ft:gpt-4.1-mini-2025-04-14:acme::AbC12345')?.family).toBe('gpt-4.1-mini');
    expect(findRetirement('openai', 'ft:gpt-4.1-nano-2025-04-14:acme::AbC12345')?.shutdownDate).toBe('2026-10-23');
    expect(findRetirement('openai', 'ft:gpt-4o-2024-08-06:acme::AbC12345')?.family).toBe('gpt-4o');
  });

  it('does not match other models, base models themselves or other providers', () => {
    expect(findRetirement('openai', 'ft:o4-mini-2025-04-16:acme::AbC12345')).toBeUndefined();
    expect(findRetirement('openai', 'gpt-4.1-mini-2025-04-14')).toBeUndefined();
    expect(findRetirement('azure', 'ft:gpt-4o-mini-2024-07-18:acme::AbC12345')).toBeUndefined();
    expect(inFamily('gpt-4o-mini-2024-07-18', 'gpt-4o')).toBe(false);
    expect(inFamily('gpt-4.1-mini', 'gpt-4.1')).toBe(false);
  });
});

describe('retirementFindings', () => {
  const routed = routedModels(fixtureManifest());

  it('offline: lists every target on a retiring base with its alias and traffic share', () => {
    const f = retirementFindings(routed, new Map(), today, 60);
    expect(f.map((x) => [x.alias, x.target, x.share, x.status, x.shutdownDate, x.daysLeft, x.source])).toEqual([
      ['support-bot', 'support-bot.support-AbC12345', 0.9, 'retiring', '2027-01-14', 50, 'table'],
      ['support-bot', 'support-bot.support-Qw3rTy12', 0.1, 'retiring', '2027-01-14', 50, 'table'],
      ['support-bot', 'support-bot.support-Zz998877', 0, 'retiring', '2027-01-14', 50, 'table'],
    ]);
    expect(retirementFindings(routed, new Map(), today, 30)).toEqual([]);
  });

  it("the provider's answer counts: gone, or an earlier shutdown date", () => {
    const answers = new Map([
      [answerKey('openai', 'ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345'), { id: 'x', exists: false, shutdownDate: null }],
      [answerKey('openai', 'ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12'), { id: 'y', exists: true, shutdownDate: '2026-12-01' }],
    ]);
    const f = retirementFindings(routed, answers, today, 10);
    expect(f.map((x) => [x.target, x.status, x.shutdownDate, x.source])).toEqual([
      ['support-bot.support-AbC12345', 'gone', null, 'provider'],
      ['support-bot.support-Qw3rTy12', 'retiring', '2026-12-01', 'provider'],
    ]);
  });
});
