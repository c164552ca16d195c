import { describe, expect, it } from 'vitest';
import { flattenConfig, readConfigDocument } from '../../../src/core/config/document.js';
import { settingKeys } from '../../../src/core/config/keys.js';

describe('config documents', () => {
  const keys = settingKeys(['openai']);

  it('flattens nested sections into dotted keys and reports non-string leaves', () => {
    expect(flattenConfig({ provider: 'openai', openai: { baseUrl: 'http://x', retries: 3, tags: ['a'] } })).toEqual({
      values: { provider: 'openai', 'openai.baseUrl': 'http://x' },
      nonStrings: ['openai.retries', 'openai.tags'],
    });
    expect(flattenConfig(['not', 'an', 'object']).nonStrings).toEqual(['(top level)']);
  });

  it('keeps known keys and reports unknown ones', () => {
    const doc = readConfigDocument({ model: 'gpt-4.1-mini-2025-04-14', openai: { baseUrl: 'http://x', region: 'eu' } }, 'user', keys);
    expect(doc.values).toEqual({ model: 'gpt-4.1-mini-2025-04-14', 'openai.baseUrl': 'http://x' });
    expect(doc.problems.map((p) => [p.key, p.code])).toEqual([['openai.region', 'unknown_key']]);
  });

  it('accepts a key in user config but refuses it in project config, without keeping the value', () => {
    const data = { openai: { apiKey: 'sk-test-1234567890abcdef' } };
    expect(readConfigDocument(data, 'user', keys).values).toEqual({ 'openai.apiKey': 'sk-test-1234567890abcdef' });
    const project = readConfigDocument(data, 'project', keys);
    expect(project.values).toEqual({});
    expect(project.problems).toEqual([expect.objectContaining({ key: 'openai.apiKey', code: 'secret_in_project_config' })]);
    expect(JSON.stringify(project.problems)).not.toContain('sk-test');
  });
});
