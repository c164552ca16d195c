/**
 * Set-up for the multi-provider end-to-end tests: a fake Azure, Together or Fireworks server on
 * 127.0.0.1, a temp project with a small support dataset, and `llmgw` run as a real subprocess
 * with only that provider's environment variables.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServedFake } from '../fakes/together/serve.js';
import { startFakeAzure } from '../fakes/azure/server.js';
import { startFakeFireworks } from '../fakes/fireworks/server.js';
import { startFakeTogether } from '../fakes/together/server.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'llmgw.js');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ProviderProject<F extends ServedFake> {
  fake: F;
  /** The provider's key, to check it appears nowhere. */
  key: string;
  env: Record<string, string>;
  run(args: string[], extraEnv?: Record<string, string | undefined>): Promise<RunResult>;
  /** Fails when the key is in any output or in any file the runs wrote. */
  expectNoKey(): Promise<void>;
  close(): Promise<void>;
}

const QA: [string, string][] = [
  ['How do I adjust the saddle height?', 'Loosen the seat-post clamp, set the saddle so your knee is slightly bent at the bottom of the stroke, then tighten it to 5 Nm.'],
  ['Which tyre pressure suits the Commuter 3?', 'Use 3.5 to 4.5 bar: lower on wet or gravel roads, higher on smooth tarmac.'],
  ['Can I charge the battery in the cold?', 'Charge it between 5 and 30 °C; bring it indoors first if it has been outside.'],
  ['How often should I oil the chain?', 'Every 300 km, or after any ride in the rain; wipe off the excess so it does not collect grit.'],
  ['Where is the frame number?', 'It is stamped under the bottom bracket, between the pedals.'],
  ['How long does a full charge take?', 'About four hours from empty with the standard 4 A charger.'],
  ['Can I ride in heavy rain?', 'Yes, the bike is rated IPX5; avoid pressure washers and dry the battery contacts afterwards.'],
  ['What does the warranty cover?', 'The frame for ten years, the motor and battery for two.'],
  ['How do I reset the display?', 'Hold the power and minus buttons together for five seconds until the logo appears.'],
  ['Which brake pads fit the Commuter 3?', 'Resin pads for Shimano MT200 calipers; sintered pads are better in wet climates.'],
  ['Is there a child seat mount?', 'Yes, the rear rack takes seats up to 22 kg that clip onto a 16 mm tube.'],
  ['How much does the bike weigh?', 'The Commuter 3 weighs 23.5 kg with the battery fitted.'],
];

export const TRAIN = QA.map(([q, a]) =>
  JSON.stringify({ messages: [{ role: 'system', content: 'You are the support assistant for Lumen Bikes. Answer in two sentences or fewer.' }, { role: 'user', content: q }, { role: 'assistant', content: a }] }),
).join('\n');

async function project<F extends ServedFake>(fake: F, key: string, env: Record<string, string>): Promise<ProviderProject<F>> {
  const dir = await mkdtemp(join(tmpdir(), 'llmgw-providers-'));
  await writeFile(join(dir, 'train.jsonl'), `${TRAIN}\n`);
  const outputs: string[] = [];
  const run = (args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<RunResult> => {
    const childEnv: Record<string, string> = {};
    // Only this provider's variables: nothing from the developer's shell leaks in.
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(OPENAI|AZURE|TOGETHER|FIREWORKS|MISTRAL|LLMGW)_/.test(k)) childEnv[k] = v;
    for (const [k, v] of Object.entries({ NO_COLOR: '1', ...env, ...extraEnv })) if (v !== undefined) childEnv[k] = v;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) =>
      child.on('close', (code) => {
        outputs.push(stdout, stderr);
        resolve({ code, stdout, stderr });
      }),
    );
  };
  return {
    fake,
    key,
    env,
    run,
    expectNoKey: async () => {
      let seen = outputs.join('\n');
      for (const name of await readdir(dir, { recursive: true })) {
        const full = join(dir, name);
        if ((await stat(full)).isFile()) seen += await readFile(full, 'utf8');
      }
      if (seen.includes(key)) throw new Error('the API key appeared in an output or a file');
    },
    close: async () => {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function togetherProject(opts: Parameters<typeof startFakeTogether>[0] = {}) {
  const fake = await startFakeTogether(opts);
  return project(fake, fake.apiKey, { TOGETHER_API_KEY: fake.apiKey, TOGETHER_BASE_URL: fake.baseUrl });
}

export async function fireworksProject(opts: Parameters<typeof startFakeFireworks>[0] = {}) {
  const fake = await startFakeFireworks(opts);
  return project(fake, fake.apiKey, { FIREWORKS_API_KEY: fake.apiKey, FIREWORKS_ACCOUNT_ID: fake.account, FIREWORKS_BASE_URL: fake.baseUrl });
}

export async function azureProject() {
  const fake = await startFakeAzure();
  return project(fake, fake.apiKey, { AZURE_OPENAI_API_KEY: fake.apiKey, AZURE_OPENAI_ENDPOINT: fake.endpoint });
}
