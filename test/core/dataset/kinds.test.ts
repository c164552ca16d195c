import { describe, expect, it } from 'vitest';
import { detectKind, KindTracker } from '../../../src/core/dataset/kinds.js';

const chat = { messages: [{ role: 'user', content: 'hi' }] };
const pref = { input: { messages: [] }, preferred_output: [], non_preferred_output: [] };
const completion = { prompt: 'p', completion: 'c' };

describe('detectKind', () => {
  it('recognises each kind by its keys', () => {
    expect(detectKind(chat)).toBe('chat');
    expect(detectKind(pref)).toBe('preference');
    expect(detectKind({ preferred_output: [] })).toBe('preference');
    expect(detectKind(completion)).toBe('completion');
    expect(detectKind({ completion: 'c' })).toBe('completion');
  });

  it('says unknown for other objects and non-objects', () => {
    expect(detectKind({ instruction: 'x', output: 'y' })).toBe('unknown');
    expect(detectKind([chat])).toBe('unknown');
    expect(detectKind(null)).toBe('unknown');
    expect(detectKind('messages')).toBe('unknown');
  });
});

describe('KindTracker', () => {
  it('lets the first recognisable example decide and flags later examples of another kind', () => {
    const t = new KindTracker();
    expect(t.observe({ other: 1 }, 1)).toEqual({ checkAs: 'chat', detected: 'unknown', mixed: false });
    expect(t.kind).toBeUndefined();
    expect(t.observe(pref, 2)).toEqual({ checkAs: 'preference', detected: 'preference', mixed: false });
    expect(t.decidedAt).toBe(2);
    expect(t.observe(chat, 3)).toEqual({ checkAs: 'preference', detected: 'chat', mixed: true });
    expect(t.observe({ other: 1 }, 4)).toEqual({ checkAs: 'preference', detected: 'unknown', mixed: false });
  });

  it('uses a forced kind from the first line', () => {
    const t = new KindTracker('completion');
    expect(t.observe(completion, 1).mixed).toBe(false);
    expect(t.observe(chat, 2)).toEqual({ checkAs: 'completion', detected: 'chat', mixed: true });
    expect(t.decidedAt).toBe(0);
  });
});
