import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { resolveModel, type BaseModel } from '../../../src/core/models/catalog.js';
import { billedExampleTokens, defaultEpochs, estimateBilling, parsePricePerMillion, PRICE_TABLE_DATE } from '../../../src/core/models/pricing.js';

const model = (id: string): BaseModel => {
  const found = resolveModel(id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
};

describe('defaultEpochs', () => {
  it.each([
    [0, 25],
    [1, 25],
    [4, 25],
    [5, 20],
    [10, 10],
    [33, 3],
    [34, 3],
    [100, 3],
    [8333, 3],
    [8334, 2],
    [12_500, 2],
    [12_501, 1],
    [1_000_000, 1],
  ])('%i examples → %i epochs', (n, epochs) => {
    expect(defaultEpochs(n)).toBe(epochs);
  });
});

describe('estimateBilling', () => {
  it('multiplies billed tokens by the epochs of the default rule and the table price', () => {
    const estimate = estimateBilling({ model: model('gpt-4.1-mini'), examples: 20, billedTokensPerEpoch: 40_000 });
    expect(estimate).toEqual({
      model: 'gpt-4.1-mini-2025-04-14',
      epochs: 5,
      epochsSource: 'default-rule',
      billedTokensPerEpoch: 40_000,
      billedTokens: 200_000,
      pricePerMillion: 5,
      priceSource: 'table',
      priceDate: PRICE_TABLE_DATE,
      estimatedCostUsd: 1,
    });
  });

  it('uses --epochs and a price override when given', () => {
    const estimate = estimateBilling({ model: model('gpt-4o-mini'), examples: 1000, billedTokensPerEpoch: 2_500_000, epochs: 2, pricePerMillion: 0.5 });
    expect(estimate).toMatchObject({ epochs: 2, epochsSource: 'flag', billedTokens: 5_000_000, pricePerMillion: 0.5, priceSource: 'override', priceDate: null });
    expect(estimate.estimatedCostUsd).toBeCloseTo(2.5, 10);
  });

  it('has no cost for a model without a per-token price, unless overridden', () => {
    expect(estimateBilling({ model: model('o4-mini'), examples: 100, billedTokensPerEpoch: 1000 })).toMatchObject({ priceSource: 'unknown', pricePerMillion: null, estimatedCostUsd: null });
    expect(estimateBilling({ model: model('o4-mini'), examples: 100, billedTokensPerEpoch: 1_000_000, pricePerMillion: 10 }).estimatedCostUsd).toBe(30);
  });

  it('bills an example at most the model limit', () => {
    expect(billedExampleTokens(model('gpt-3.5-turbo-0613'), 10_000)).toBe(4_096);
    expect(billedExampleTokens(model('gpt-3.5-turbo-0613'), 100)).toBe(100);
  });
});

describe('parsePricePerMillion', () => {
  it('accepts non-negative numbers', () => {
    expect(parsePricePerMillion('4.5', '--price')).toBe(4.5);
    expect(parsePricePerMillion(' 0 ', '--price')).toBe(0);
  });

  it.each(['', 'abc', '-1', 'Infinity'])('rejects %j as a usage error naming its origin', (value) => {
    let error: unknown;
    try {
      parsePricePerMillion(value, 'LLMGW_TRAINING_PRICE');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('invalid_price');
    expect((error as UsageError).message).toContain('LLMGW_TRAINING_PRICE');
  });
});
