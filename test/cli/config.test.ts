import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configWorld } from './config-helpers.js';

const KEY = 'sk-proj-TESTKEY0123456789abcdefghijklmnopqrstuvwxyzWXYZ';
const mode = (path: string) => statSync(path).mode & 0o777;

describe('llmgw config set/get/unset/list/path', () => {
  it('stores a setting in the user config, reads it back with its source, and removes it', async () => {
    const w = configWorld();
    const set = await w.run(['config', 'set', 'model', 'gpt-4.1-mini-2025-04-14', '--json']);
    expect(set.code).toBe(0);
    const file = join(w.configDir, 'config.json');
    expect(JSON.parse(set.io.out())).toEqual({ key: 'model', value: 'gpt-4.1-mini-2025-04-14', secret: false, path: file, shadowedBy: null });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ model: 'gpt-4.1-mini-2025-04-14' });

    const get = await w.run(['config', 'get', 'model']);
    expect(get.io.out()).toBe('gpt-4.1-mini-2025-04-14\n');
    expect(get.io.err()).toContain(`from user config ${file}`);

    const unset = await w.run(['config', 'unset', 'model', '--json']);
    expect(JSON.parse(unset.io.out())).toEqual({ key: 'model', removed: true, path: file });
    const again = await w.run(['config', 'get', 'model', '--json']);
    expect(JSON.parse(again.io.out())).toEqual({ key: 'model', value: null, secret: false, source: 'unset', origin: 'not set' });
    expect(JSON.parse((await w.run(['config', 'unset', 'model', '--json'])).io.out()).removed).toBe(false);
  });

  it('prints the user config path, and the project config when there is one', async () => {
    const w = configWorld();
    const text = await w.run(['config', 'path']);
    expect(text.io.out()).toBe(`${join(w.configDir, 'config.json')}\n`);
    w.writeProjectConfig({ provider: 'openai' });
    const json = await w.run(['config', 'path', '--json']);
    expect(JSON.parse(json.io.out())).toEqual({ user: join(w.configDir, 'config.json'), userExists: false, project: join(w.project, '.llmgwrc.json') });
  });

  it('refuses unknown keys and bad values with a usage error and a fix', async () => {
    const w = configWorld();
    const unknown = await w.run(['config', 'set', 'openai.baseurl', 'http://x']);
    expect(unknown.code).toBe(2);
    expect(unknown.io.err()).toContain('"openai.baseurl" is not a setting llmgw knows');
    expect(unknown.io.err()).toContain('fix:');
    const badUrl = await w.run(['config', 'set', 'openai.baseUrl', 'not a url', '--json']);
    expect(badUrl.code).toBe(2);
    expect(JSON.parse(badUrl.io.out()).error.code).toBe('invalid_setting_value');
    const badProvider = await w.run(['config', 'set', 'provider', 'nosuch']);
    expect(badProvider.code).toBe(2);
    expect(badProvider.io.err()).toContain('openai');
  });

  it('lists every setting with a value and its source, and warns about unknown keys in the file', async () => {
    const w = configWorld();
    await w.run(['config', 'set', 'openai.baseUrl', 'https://proxy.internal/v1']);
    const file = join(w.configDir, 'config.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), colour: 'blue' }));
    const list = await w.run(['config', 'list', '--json'], { LLMGW_MODEL: 'gpt-4o-mini-2024-07-18' });
    const doc = JSON.parse(list.io.out());
    expect(doc.settings).toEqual([
      { key: 'provider', value: 'openai', secret: false, source: 'default', origin: 'default' },
      { key: 'model', value: 'gpt-4o-mini-2024-07-18', secret: false, source: 'env', origin: 'LLMGW_MODEL' },
      { key: 'manifest', value: 'llmgw.routes.json', secret: false, source: 'default', origin: 'default' },
      { key: 'openai.baseUrl', value: 'https://proxy.internal/v1', secret: false, source: 'user', origin: `user config ${file}` },
    ]);
    expect(doc.files).toEqual({ user: file, project: null });
    expect(doc.problems).toEqual([expect.objectContaining({ file, key: 'colour', code: 'unknown_key' })]);
    const text = await w.run(['config', 'list']);
    expect(text.io.out()).toMatch(/^openai\.baseUrl\s+https:\/\/proxy\.internal\/v1\s+user config /m);
    expect(text.io.err()).toContain('colour is not a setting llmgw knows (ignored)');
  });

  it('reports a user config that is not JSON (exit 3) and leaves it untouched', async () => {
    const w = configWorld();
    await w.run(['config', 'set', 'model', 'm']);
    const file = join(w.configDir, 'config.json');
    writeFileSync(file, '{ "model": "m", }');
    const set = await w.run(['config', 'set', 'model', 'other']);
    expect(set.code).toBe(3);
    expect(set.io.err()).toContain('is not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('{ "model": "m", }');
  });
});

describe('API keys in config', () => {
  it('stores a key with a warning, in a file only the owner can read, and never prints it', async () => {
    const w = configWorld();
    const set = await w.run(['config', 'set', 'openai.apiKey', KEY]);
    expect(set.code).toBe(0);
    expect(set.io.err()).toContain('stored in plain text');
    expect(set.io.err()).toContain('OPENAI_API_KEY');
    const file = join(w.configDir, 'config.json');
    expect(mode(file)).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ openai: { apiKey: KEY } });

    const get = await w.run(['config', 'get', 'openai.apiKey', '--json']);
    expect(JSON.parse(get.io.out())).toEqual({ key: 'openai.apiKey', value: 'sk-proj-…WXYZ', secret: true, source: 'user', origin: `user config ${file}` });
    expect((await w.run(['config', 'get', 'openai.apiKey'])).io.out()).toBe('sk-proj-…WXYZ\n');
    const list = await w.run(['config', 'list', '--json']);
    expect(JSON.parse(list.io.out()).settings).toContainEqual(expect.objectContaining({ key: 'openai.apiKey', value: 'sk-proj-…WXYZ' }));
    await w.run(['config', 'list']);
    await w.run(['config', 'set', 'openai.apiKey', KEY, '--json', '--debug']);
    expect(w.outputs.join('\n')).not.toContain(KEY.slice(8, -4));
  });

  it('masks a key that comes from the environment too', async () => {
    const w = configWorld();
    const env = { OPENAI_API_KEY: KEY };
    const list = await w.run(['config', 'list', '--json'], env);
    expect(JSON.parse(list.io.out()).settings).toContainEqual({ key: 'openai.apiKey', value: 'sk-proj-…WXYZ', secret: true, source: 'env', origin: 'OPENAI_API_KEY' });
    const text = await w.run(['config', 'list'], env);
    expect(text.io.out()).toMatch(/^openai\.apiKey\s+sk-proj-…WXYZ\s+env OPENAI_API_KEY$/m);
    await w.run(['config', 'get', 'openai.apiKey', '--debug'], env);
    expect(w.outputs.join('\n')).not.toContain(KEY.slice(8, -4));
  });

  it('tightens an existing looser config file to 0600 when it writes', async () => {
    const w = configWorld();
    await w.run(['config', 'set', 'model', 'm']);
    const file = join(w.configDir, 'config.json');
    chmodSync(file, 0o644);
    await w.run(['config', 'set', 'openai.apiKey', KEY]);
    expect(mode(file)).toBe(0o600);
  });

  it('says the environment wins when it also holds the key', async () => {
    const w = configWorld();
    const set = await w.run(['config', 'set', 'openai.apiKey', KEY, '--json'], { OPENAI_API_KEY: 'sk-env-0000000000000000000000' });
    expect(JSON.parse(set.io.out()).shadowedBy).toBe('env OPENAI_API_KEY');
    expect(set.io.err()).toContain('env OPENAI_API_KEY is set and wins');
    expect(w.outputs.join('\n')).not.toContain('sk-env-0000');
  });

  it('refuses a key in project config (exit 3) and does not print it', async () => {
    const w = configWorld();
    w.writeProjectConfig({ openai: { apiKey: KEY } });
    const list = await w.run(['config', 'list', '--json']);
    expect(list.code).toBe(3);
    expect(JSON.parse(list.io.out()).error.code).toBe('secret_in_project_config');
    expect(list.io.err()).toContain('.llmgwrc.json holds openai.apiKey');
    expect(w.outputs.join('\n')).not.toContain(KEY.slice(8, -4));
  });
});

describe('a key typed in the wrong place', () => {
  it('is never echoed back, whether given as the key name or as another setting\'s value', async () => {
    const w = configWorld();
    const swapped = await w.run(['config', 'set', KEY, 'openai.apiKey']);
    expect(swapped.code).toBe(2);
    expect(swapped.io.err()).toContain('That is not a setting llmgw knows');
    const wrongKey = await w.run(['config', 'set', 'model', KEY, '--json']);
    expect(wrongKey.code).toBe(2);
    expect(JSON.parse(wrongKey.io.out()).error.message).toContain('looks like an API key');
    expect((await w.run(['config', 'get', KEY])).code).toBe(2);
    expect((await w.run(['config', 'unset', KEY])).code).toBe(2);
    expect(w.outputs.join('\n')).not.toContain(KEY.slice(8, -4));
  });
});

describe('a user config folder that cannot be created', () => {
  it('still lets commands read settings, and makes `config set` a configuration error (exit 3)', async () => {
    const w = configWorld();
    const blocker = join(w.project, 'not-a-folder');
    writeFileSync(blocker, '');
    const env = { LLMGW_CONFIG_DIR: join(blocker, 'llmgw') };
    const list = await w.run(['config', 'list', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.io.out()).settings.map((s: { key: string }) => s.key)).toEqual(['provider', 'manifest']);
    const set = await w.run(['config', 'set', 'model', 'm', '--json'], env);
    expect(set.code).toBe(3);
    expect(JSON.parse(set.io.out()).error).toMatchObject({ code: 'user_config_unavailable', hint: expect.stringContaining('LLMGW_CONFIG_DIR') });
  });
});
