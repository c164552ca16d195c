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
      // An empty name: the provider takes no API key (Vertex uses Google's credentials chain).
      expect(f.env.apiKey).toMatch(/^([A-Z][A-Z0-9_]+)?$/);
    }
  });

  it('lists Vertex with its own settings and no API key', async () => {
    const vertex = listProviders().find((p) => p.name === 'vertex');
    expect(vertex?.settings.map((s) => s.flag ?? s.env)).toEqual(['--project', '--location', '--bucket', 'GOOGLE_APPLICATION_CREDENTIALS', 'STORAGE_EMULATOR_HOST']);
    expect((await getProviderFactory('vertex')).env).toEqual({ apiKey: '', baseUrl: 'GOOGLE_VERTEX_BASE_URL', project: 'GOOGLE_CLOUD_PROJECT' });
  });

  it('names the known providers when asked for an unknown one', async () => {
    await expect(getProviderFactory('openia')).rejects.toMatchObject({ code: 'unknown_provider', exitCode: 2, hint: expect.stringContaining('openai') });
    await expect(getProviderFactory('toString')).rejects.toMatchObject({ code: 'unknown_provider' });
  });
});
