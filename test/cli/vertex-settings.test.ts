/**
 * Vertex's own settings through the real CLI, flag > environment > project > user config: the
 * winning layer names the project (`--project`, GOOGLE_CLOUD_PROJECT) or region (`--location`,
 * GOOGLE_CLOUD_LOCATION) the fake serves and every layer below it one it refuses, so a listed
 * job page proves which value was used; `--debug` names the layer, and the request path the value.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../fakes/vertex/server.js';
import { configWorld } from './config-helpers.js';

let fake: FakeGoogle;
let keyFile: string;
beforeAll(async () => {
  fake = await startFakeGoogle();
  const w = configWorld();
  keyFile = join(w.project, 'key.json');
  await fake.writeKeyFile(keyFile);
});
afterAll(async () => fake.close());

type Layer = 'flag' | 'env' | 'project' | 'user';
const LAYERS: Layer[] = ['flag', 'env', 'project', 'user'];
const SETTINGS = [
  { field: 'location', flag: '--location', env: 'GOOGLE_CLOUD_LOCATION', good: 'europe-west4', bad: 'asia-east9' },
  { field: 'project', flag: '--project', env: 'GOOGLE_CLOUD_PROJECT', good: 'llmgw-test', bad: 'someone-elses' },
] as const;

describe('Vertex settings precedence through the CLI', () => {
  for (const s of SETTINGS) {
    for (const winner of LAYERS) {
      it(`takes ${s.field} from the ${winner} over every layer below it`, async () => {
        const w = configWorld();
        const below = LAYERS.slice(LAYERS.indexOf(winner) + 1);
        const value = (l: Layer): string => (l === winner ? s.good : s.bad);
        // The other setting comes from the environment.
        const env: Record<string, string> = { GOOGLE_APPLICATION_CREDENTIALS: keyFile, GOOGLE_VERTEX_BASE_URL: fake.url, GOOGLE_CLOUD_PROJECT: 'llmgw-test', GOOGLE_CLOUD_LOCATION: 'us-central1' };
        delete env[s.env];
        const argv = ['tune', 'list', '--provider', 'vertex', '--json', '--debug', '--max-retries', '0'];
        if (winner === 'user' || below.includes('user')) expect((await w.run(['config', 'set', `vertex.${s.field}`, value('user')])).code).toBe(0);
        if (winner === 'project' || below.includes('project')) w.writeProjectConfig({ vertex: { [s.field]: value('project') } });
        if (winner === 'env' || below.includes('env')) env[s.env] = value('env');
        if (winner === 'flag') argv.push(s.flag, s.good);
        const before = fake.requests.length;
        const { code, io } = await w.run(argv, env);
        expect(io.err()).not.toContain('internal error');
        expect(code, io.err()).toBe(0);
        const origin = { flag: s.flag, env: s.env, project: `project config ${join(w.project, '.llmgwrc.json')}`, user: `user config ${join(w.configDir, 'config.json')}` }[winner];
        expect(io.err()).toContain(`${s.field} from ${origin}`);
        const paths = fake.requests.slice(before).map((r) => r.path);
        expect(paths.some((p) => p.includes(s.field === 'location' ? `/locations/${s.good}/` : `/projects/${s.good}/`))).toBe(true);
        expect(paths.some((p) => p.includes(s.bad))).toBe(false);
      });
    }
  }
});
