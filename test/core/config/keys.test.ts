import { describe, expect, it } from 'vitest';
import { checkValue, envNameFor, findKey, isKeyShaped, looksLikeSecret, settingKeys } from '../../../src/core/config/keys.js';
import { maskSecret } from '../../../src/core/config/mask.js';

const keys = settingKeys(['openai', 'azure']);
const spec = (key: string) => {
  const s = findKey(keys, key);
  if (!s) throw new Error(`no key ${key}`);
  return s;
};

describe('setting keys', () => {
  it('has the global keys, then five per provider, and only the API key is secret', () => {
    expect(keys.map((k) => k.key)).toEqual([
      'provider', 'model', 'manifest',
      'openai.apiKey', 'openai.baseUrl', 'openai.organization', 'openai.project', 'openai.apiVersion',
      'azure.apiKey', 'azure.baseUrl', 'azure.organization', 'azure.project', 'azure.apiVersion',
    ]);
    expect(keys.filter((k) => k.secret).map((k) => k.key)).toEqual(['openai.apiKey', 'azure.apiKey']);
    expect(spec('provider').default).toBe('openai');
    expect(spec('manifest').default).toBe('llmgw.routes.json');
  });

  it('names the adapter environment variable for per-provider keys and the fixed one for globals', () => {
    const env = { apiKey: 'AZURE_OPENAI_API_KEY', baseUrl: 'AZURE_OPENAI_ENDPOINT', apiVersion: 'OPENAI_API_VERSION' };
    expect(envNameFor(spec('azure.apiKey'), env)).toBe('AZURE_OPENAI_API_KEY');
    expect(envNameFor(spec('azure.apiVersion'), env)).toBe('OPENAI_API_VERSION');
    expect(envNameFor(spec('azure.organization'), env)).toBeUndefined();
    expect(envNameFor(spec('azure.project'), env)).toBeUndefined();
    expect(envNameFor(spec('model'), undefined)).toBe('LLMGW_MODEL');
  });
});

describe("a provider's own settings", () => {
  const own = settingKeys([
    'openai',
    { name: 'cloudy', settings: [{ field: 'location', kind: 'string', description: 'region to run in', env: 'CLOUDY_LOCATION' }, { field: 'bucket', kind: 'url', description: 'where data goes' }] },
  ]);
  const ownSpec = (key: string) => findKey(own, key) ?? expect.unreachable(`no key ${key}`);

  it('follow its five common keys, belong to that provider only, and are never secret', () => {
    expect(own.filter((k) => k.provider === 'cloudy').map((k) => k.field)).toEqual(['apiKey', 'baseUrl', 'organization', 'project', 'apiVersion', 'location', 'bucket']);
    expect(findKey(own, 'openai.location')).toBeUndefined();
    expect(ownSpec('cloudy.location')).toMatchObject({ provider: 'cloudy', kind: 'string', secret: false, description: 'region to run in' });
    expect(checkValue(ownSpec('cloudy.bucket'), 'not a url', ['openai', 'cloudy']).ok).toBe(false);
  });

  it('are overridden by the environment variable they declare, whatever the adapter reads', () => {
    const adapterEnv = { apiKey: 'CLOUDY_KEY', project: 'CLOUDY_PROJECT' };
    expect(envNameFor(ownSpec('cloudy.location'), adapterEnv)).toBe('CLOUDY_LOCATION');
    expect(envNameFor(ownSpec('cloudy.location'), undefined)).toBe('CLOUDY_LOCATION');
    expect(envNameFor(ownSpec('cloudy.bucket'), adapterEnv)).toBeUndefined();
    expect(envNameFor(ownSpec('cloudy.project'), adapterEnv)).toBe('CLOUDY_PROJECT');
  });
});

describe('checkValue', () => {
  const names = ['openai', 'azure'];
  it('accepts http(s) base URLs and refuses others, and URLs carrying credentials', () => {
    expect(checkValue(spec('openai.baseUrl'), ' https://proxy.internal/v1 ', names)).toEqual({ ok: true, value: 'https://proxy.internal/v1' });
    expect(checkValue(spec('openai.baseUrl'), 'proxy.internal', names).ok).toBe(false);
    expect(checkValue(spec('openai.baseUrl'), 'ftp://proxy.internal', names).ok).toBe(false);
    expect(checkValue(spec('openai.baseUrl'), 'https://u:p@proxy.internal', names).ok).toBe(false);
  });

  it('accepts only known providers for `provider`', () => {
    expect(checkValue(spec('provider'), 'azure', names)).toEqual({ ok: true, value: 'azure' });
    const bad = checkValue(spec('provider'), 'anthropic', names);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).toContain('openai, azure');
  });

  it('refuses an empty value or a key with spaces, without repeating the key', () => {
    expect(checkValue(spec('model'), '  ', names).ok).toBe(false);
    const secret = 'sk-proj-abc def1234567890';
    const bad = checkValue(spec('openai.apiKey'), secret, names);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.reason).not.toContain('abc');
  });
});

describe('maskSecret', () => {
  it('keeps the vendor prefix and the last four characters only', () => {
    expect(maskSecret('sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123wxyz')).toBe('sk-proj-…wxyz');
    expect(maskSecret('sk-ABCDEFGHIJKLMNOPQRSTabcd')).toBe('sk-…abcd');
    expect(maskSecret('0123456789abcdef0123')).toBe('…0123');
  });

  it('shows nothing of a short value', () => {
    expect(maskSecret('sk-short-1234')).toBe('••••');
    expect(maskSecret('')).toBe('••••');
  });
});

describe('key-shaped text', () => {
  it('tells API keys from setting names and ordinary values', () => {
    expect(looksLikeSecret('sk-proj-abcdefghijklmnop1234')).toBe(true);
    expect(looksLikeSecret('0123456789abcdef0123456789abcdef')).toBe(true);
    expect(looksLikeSecret('gpt-4.1-mini-2025-04-14')).toBe(false);
    expect(looksLikeSecret('ft:gpt-4o-mini-2024-07-18:acme:support:AbC12345')).toBe(false);
    expect(isKeyShaped('openai.baseUrl')).toBe(true);
    expect(isKeyShaped('model')).toBe(true);
    expect(isKeyShaped('sk-proj-abcdefghijklmnop1234')).toBe(false);
    expect(isKeyShaped('a b')).toBe(false);
  });
});
