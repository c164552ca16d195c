/**
 * Precedence flag > environment > project > user > default, through the real CLI: a provider
 * command (`tune list`) against the fake OpenAI. The winning layer points at the fake and every
 * layer below it at a closed port, so success proves which value was used, and `--debug` must name
 * that layer (never the value).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutput } from '../../src/cli/output/output.js';
import { resolveDefault } from '../../src/cli/settings.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.js';
import { memoryIo } from '../helpers/io.js';
import { configWorld } from './config-helpers.js';

const DEAD = 'http://127.0.0.1:9/v1';
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake.close();
});

type Layer = 'flag' | 'env' | 'project' | 'user';
const LAYERS: Layer[] = ['flag', 'env', 'project', 'user'];

async function setUp(winner: Layer) {
  const w = configWorld();
  const below = LAYERS.slice(LAYERS.indexOf(winner) + 1);
  const url = (l: Layer) => (l === winner ? fake.baseURL : DEAD);
  const env: Record<string, string> = { OPENAI_API_KEY: fake.apiKey };
  const argv = ['tune', 'list', '--json', '--debug', '--max-retries', '0'];
  if (winner === 'user' || below.includes('user')) expect((await w.run(['config', 'set', 'openai.baseUrl', url('user')])).code).toBe(0);
  if (winner === 'project' || below.includes('project')) w.writeProjectConfig({ openai: { baseUrl: url('project') } });
  if (winner === 'env' || below.includes('env')) env.OPENAI_BASE_URL = url('env');
  if (winner === 'flag') argv.push('--base-url', fake.baseURL);
  return { w, env, argv };
}

describe('settings precedence through the CLI', () => {
  for (const winner of LAYERS) {
    it(`uses the ${winner} base URL over every layer below it`, async () => {
      const { w, env, argv } = await setUp(winner);
      const { code, io } = await w.run(argv, env);
      expect(io.err()).not.toContain('internal error');
      expect(code).toBe(0);
      const origin = { flag: '--base-url', env: 'OPENAI_BASE_URL', project: `project config ${join(w.project, '.llmgwrc.json')}`, user: `user config ${join(w.configDir, 'config.json')}` }[winner];
      expect(io.err()).toContain(`openai: API key from OPENAI_API_KEY; base URL from ${origin}`);
      expect(io.err()).not.toContain(fake.baseURL);
    });
  }

  it('falls back to the provider default and says so', async () => {
    const w = configWorld();
    const get = await w.run(['config', 'get', 'openai.baseUrl', '--json']);
    expect(JSON.parse(get.io.out())).toMatchObject({ source: 'unset', value: null });
    const dry = await w.run(['config', 'get', 'provider', '--json']);
    expect(JSON.parse(dry.io.out())).toMatchObject({ value: 'openai', source: 'default' });
  });

  it('takes the key from the environment over the user config, and names where it came from', async () => {
    const w = configWorld();
    await w.run(['config', 'set', 'openai.apiKey', fake.apiKey]);
    const base = ['tune', 'list', '--json', '--debug', '--max-retries', '0', '--base-url', fake.baseURL];
    const wrong = 'sk-wrong-key-000000000000000000000000';
    const envWins = await w.run(base, { OPENAI_API_KEY: wrong });
    expect(envWins.code).toBe(3);
    expect(envWins.io.err()).toContain('API key from OPENAI_API_KEY');
    const fromUser = await w.run(base);
    expect(fromUser.code).toBe(0);
    expect(fromUser.io.err()).toContain(`API key from user config ${join(w.configDir, 'config.json')}`);
    const all = w.outputs.join('\n');
    expect(all).not.toContain(fake.apiKey);
    expect(all).not.toContain(wrong);
  });
});

describe('resolveDefault (for commands that take --model, --provider, --manifest)', () => {
  it('goes flag > env > project > user > default and names the source under --debug', async () => {
    const w = configWorld();
    await w.run(['config', 'set', 'manifest', 'user.routes.json']);
    w.writeProjectConfig({ manifest: 'project.routes.json' });
    const ctxWith = async (env: Record<string, string>) => {
      const io = memoryIo({ env: { LLMGW_CONFIG_DIR: w.configDir, ...env }, cwd: w.project });
      const globals = { json: false, color: false, debug: true, quiet: false };
      return { io, ctx: { io, globals, out: await createOutput(io, globals) } };
    };
    const env = { LLMGW_MANIFEST: 'env.routes.json' };
    const { io, ctx } = await ctxWith(env);
    expect(resolveDefault(ctx, 'manifest', { value: 'flag.routes.json', name: '--manifest' })).toMatchObject({ value: 'flag.routes.json', source: 'flag' });
    expect(io.err()).toContain('debug: manifest from --manifest');
    expect(resolveDefault(ctx, 'manifest', { value: undefined, name: '--manifest' })).toMatchObject({ value: 'env.routes.json', source: 'env' });
    expect(resolveDefault((await ctxWith({})).ctx, 'manifest')).toMatchObject({ value: 'project.routes.json', source: 'project' });
    w.writeProjectConfig({});
    expect(resolveDefault((await ctxWith({})).ctx, 'manifest')).toMatchObject({ value: 'user.routes.json', source: 'user' });
    await w.run(['config', 'unset', 'manifest']);
    expect(resolveDefault((await ctxWith({})).ctx, 'manifest')).toMatchObject({ value: 'llmgw.routes.json', source: 'default' });
  });
});
