import { describe, expect, it } from 'vitest';
import { resolveSetting, type SettingLayers } from '../../../src/core/config/resolve.js';

describe('resolveSetting', () => {
  const all: SettingLayers = {
    flag: { value: 'f', origin: '--base-url' },
    env: { value: 'e', origin: 'OPENAI_BASE_URL' },
    project: { value: 'p', origin: 'project config /x/.llmgwrc.json' },
    user: { value: 'u', origin: 'user config /c/config.json' },
    default: { value: 'd', origin: 'default' },
  };

  it('takes flag > environment > project > user > default, dropping one layer at a time', () => {
    const order = ['flag', 'env', 'project', 'user', 'default'] as const;
    let layers: SettingLayers = { ...all };
    for (const layer of order) {
      const r = resolveSetting(layers);
      expect(r).toEqual({ value: all[layer]?.value, source: layer, origin: all[layer]?.origin });
      const { [layer]: _dropped, ...rest } = layers;
      layers = rest;
    }
    expect(resolveSetting(layers)).toEqual({ value: undefined, source: 'unset', origin: 'not set' });
  });

  it('skips blank values, so an empty OPENAI_BASE_URL does not hide the config file', () => {
    const r = resolveSetting({ env: { value: '  ', origin: 'OPENAI_BASE_URL' }, user: { value: ' u ', origin: 'user' } });
    expect(r).toEqual({ value: 'u', source: 'user', origin: 'user' });
  });
});
