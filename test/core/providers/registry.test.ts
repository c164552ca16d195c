import { describe, expect, it } from 'vitest';
import { getProviderFactory, listProviders } from '../../../src/core/providers/registry.js';

describe('provider registry', () => {
  it('lists OpenAI first without loading any adapter', () => {
    expect(listProviders()[0]).toEqual({ name: 'openai', displayName: 'OpenAI', settings: [], pauses: true });
    expect(new Set(listProviders().map((p) => p.name)).size).toBe(listProviders().length);
  });

  it('loads a factory by name, whose name matches its entry', async () => {
    for (const { name, displayName } of listProviders()) {
      const f = await getProviderFactory(name);
      expect({ name: f.name, displayName: f.displayName }).toEqual({ name, displayName });
      // An empty name: the provider takes no API key (Vertex uses Google's credential chain, Bedrock the AWS one).
      if (name === 'vertex' || name === 'bedrock') expect(f.env.apiKey).toBe('');
      else expect(f.env.apiKey).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
  });

  it('lists Vertex with its own settings and no API key', async () => {
    const vertex = listProviders().find((p) => p.name === 'vertex');
    expect(vertex?.settings.map((s) => s.flag ?? s.env)).toEqual(['--project', '--location', '--bucket', 'GOOGLE_APPLICATION_CREDENTIALS', 'STORAGE_EMULATOR_HOST']);
    expect((await getProviderFactory('vertex')).env).toEqual({ apiKey: '', baseUrl: 'GOOGLE_VERTEX_BASE_URL', project: 'GOOGLE_CLOUD_PROJECT' });
  });

  it('says which adapters can pause a job, as their adapters do', async () => {
    const settings = { apiKey: 'sk-test-0123456789abcdef', baseUrl: 'http://127.0.0.1:9', organization: 'acct' };
    for (const { name, pauses } of listProviders()) {
      if (name === 'mistral') continue;
      let provider;
      try {
        provider = (await getProviderFactory(name)).create(settings);
      } catch {
        continue; // an adapter that needs settings of its own (checked in its own tests)
      }
      expect({ name, pauses: typeof provider.pauseJob === 'function' && typeof provider.resumeJob === 'function' }).toEqual({ name, pauses });
    }
  });

  it('names the known providers when asked for an unknown one', async () => {
    await expect(getProviderFactory('openia')).rejects.toMatchObject({ code: 'unknown_provider', exitCode: 2, hint: expect.stringContaining('openai') });
    await expect(getProviderFactory('toString')).rejects.toMatchObject({ code: 'unknown_provider' });
  });
});
