import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, defaultModel, listModels, resolveModel } from '../../../src/core/models/catalog.js';
import { TRAINING_PRICES } from '../../../src/core/models/pricing.js';

describe('resolveModel', () => {
  it('accepts dated snapshots and undated aliases', () => {
    expect(resolveModel('gpt-4o-mini-2024-07-18')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(resolveModel('gpt-4o-mini')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(resolveModel('gpt-4.1')?.id).toBe('gpt-4.1-2025-04-14');
    expect(resolveModel('gpt-3.5-turbo')?.id).toBe('gpt-3.5-turbo-0125');
    expect(resolveModel(' davinci-002 ')?.id).toBe('davinci-002');
  });

  it('resolves fine-tuned models and checkpoints to their base', () => {
    expect(resolveModel('ft:gpt-4o-mini-2024-07-18:org:weather:B7R9VjQd')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(resolveModel('ft:gpt-4.1-nano-2025-04-14:openai::BTz2REMH')?.id).toBe('gpt-4.1-nano-2025-04-14');
    expect(resolveModel('ft:gpt-4o-mini:openai:custom-model-name:7p4lURel')?.id).toBe('gpt-4o-mini-2024-07-18');
    expect(resolveModel('ft:davinci-002:my-org:custom_suffix:7q8mpxmy:ckpt-step-2000')?.id).toBe('davinci-002');
  });

  it('returns undefined for models it does not know', () => {
    expect(resolveModel('gpt-5')).toBeUndefined();
    expect(resolveModel('gpt-4o-2024-11-20')).toBeUndefined();
    expect(resolveModel('ft:')).toBeUndefined();
    expect(resolveModel('ft:unknown-base:org::abc')).toBeUndefined();
    expect(resolveModel('')).toBeUndefined();
  });
});

describe('catalogue', () => {
  const models = listModels();

  it('holds every model of the provider tables once, with unique names', () => {
    expect(models.map((m) => m.id).sort()).toEqual(
      [
        'babbage-002',
        'davinci-002',
        'gpt-3.5-turbo-0125',
        'gpt-3.5-turbo-0613',
        'gpt-3.5-turbo-1106',
        'gpt-4-0613',
        'gpt-4.1-2025-04-14',
        'gpt-4.1-mini-2025-04-14',
        'gpt-4.1-nano-2025-04-14',
        'gpt-4o-2024-08-06',
        'gpt-4o-mini-2024-07-18',
        'o4-mini-2025-04-16',
      ].sort(),
    );
    const names = models.flatMap((m) => [m.id, ...m.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('lists current models first', () => {
    const firstOld = models.findIndex((m) => !m.current);
    expect(models.slice(firstOld).every((m) => !m.current)).toBe(true);
    expect(models[0]?.current).toBe(true);
  });

  it('uses o200k for the gpt-4o/4.1/o-series families and cl100k for older models', () => {
    for (const model of models) {
      const modern = /^(gpt-4o|gpt-4\.1|o4)/.test(model.id);
      expect(model.encoding, model.id).toBe(modern ? 'o200k_base' : 'cl100k_base');
    }
  });

  it('records the documented per-example limits and the provider minimum', () => {
    expect(resolveModel('gpt-4o-2024-08-06')).toMatchObject({ maxExampleTokens: 65_536, limitSource: 'docs' });
    expect(resolveModel('gpt-3.5-turbo-0125')).toMatchObject({ maxExampleTokens: 16_385, limitSource: 'docs' });
    expect(resolveModel('gpt-3.5-turbo-0613')).toMatchObject({ maxExampleTokens: 4_096, limitSource: 'docs' });
    for (const model of models) {
      expect(model.minExamples).toBe(10);
      if (model.limitSource === 'assumed') expect(model.notes, model.id).toMatch(/assum/);
    }
  });

  it('knows which methods each model supports', () => {
    expect(resolveModel('gpt-4.1-mini')?.methods).toEqual(['supervised', 'dpo']);
    expect(resolveModel('gpt-4o')?.methods).toContain('vision');
    expect(resolveModel('o4-mini')?.methods).toEqual(['reinforcement']);
    expect(resolveModel('babbage-002')?.format).toBe('completion');
  });

  it('takes prices from the dated table, null where none is published', () => {
    for (const model of models) expect(model.trainingPricePerMillion, model.id).toBe(TRAINING_PRICES[model.id] ?? null);
    expect(resolveModel('gpt-4.1-mini')?.trainingPricePerMillion).toBe(5);
    expect(resolveModel('o4-mini')?.trainingPricePerMillion).toBeNull();
  });

  it('defaults to gpt-4.1-mini', () => {
    expect(DEFAULT_MODEL_ID).toBe('gpt-4.1-mini-2025-04-14');
    expect(defaultModel().id).toBe(DEFAULT_MODEL_ID);
    expect(defaultModel().current).toBe(true);
  });
});
