import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { Ledger } from '../../src/core/jobs/ledger.js';
import { A, B, modelsWorld } from './models-helpers.js';

describe('models register / promote / rollback', () => {
  it('walks a model through register, canary, complete and rollback, one revision each', async () => {
    const w = modelsWorld();
    const r1 = await w.json(['models', 'register', 'support-bot', A, '--job', 'ftjob-1']);
    expect(r1.code).toBe(0);
    expect(r1.data).toMatchObject({ manifest: 'llmgw.routes.json', revision: 1, action: 'register', alias: 'support-bot', model: A, created: true, targets: [{ role: 'stable', weight: 100 }] });
    const m1 = JSON.parse(readFileSync(w.manifest, 'utf8'));
    expect(m1.models[A]).toMatchObject({ baseModel: 'gpt-4o-mini-2024-07-18', jobId: 'ftjob-1', provider: 'openai' });
    expect(m1.providers.openai).toEqual({ type: 'openai', apiKeyEnv: 'OPENAI_API_KEY' });

    expect((await w.json(['models', 'register', 'support-bot', B])).data).toMatchObject({ revision: 2, action: 'add-candidate' });
    const canary = await w.json<{ targets: { model: string; role: string; weight: number }[] }>(['models', 'promote', 'support-bot', '--model', B, '--canary', '10', '--reason', 'new data']);
    expect(canary.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[A, 'stable', 90], [B, 'canary', 10]]);
    const done = await w.json<{ action: string; revision: number; targets: { model: string; role: string; weight: number }[] }>(['models', 'promote', 'support-bot', '--model', B]);
    expect(done.data.action).toBe('complete');
    expect(done.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[B, 'stable', 100], [A, 'previous', 0]]);
    const back = await w.json<{ revision: number; targets: { model: string; role: string; weight: number }[] }>(['models', 'rollback', 'support-bot']);
    expect(back.data.revision).toBe(5);
    expect(back.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[A, 'stable', 100], [B, 'previous', 0]]);

    // --to 3 restores the canary split exactly, as revision 6
    const to = await w.json<{ revision: number; targets: { model: string; weight: number }[] }>(['models', 'rollback', 'support-bot', '--to', '3']);
    expect(to.data.revision).toBe(6);
    expect(to.data.targets.map((t) => [t.model, t.weight])).toEqual([[A, 90], [B, 10]]);

    const show = await w.json<{ history: { revision: number; action: string; who?: string; reason?: string }[] }>(['models', 'show', 'support-bot']);
    expect(show.data.history.map((e) => `${e.revision}:${e.action}`)).toEqual(['1:register', '2:add-candidate', '3:canary', '4:complete', '5:rollback', '6:rollback']);
    expect(show.data.history[2]).toMatchObject({ who: 'alice', reason: 'new data' });
  });

  it('prints readable text and the history in show', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'support-bot', A]);
    const r = await w.run(['models', 'register', 'support-bot', B]);
    expect(r.out).toContain('added as a candidate (no traffic) to support-bot (llmgw.routes.json revision 2)');
    const show = await w.run(['models', 'show', 'support-bot']);
    expect(show.out).toContain('support-bot.support-AbC12345  stable, weight 100 (100%)');
    expect(show.out).toContain('base gpt-4o-mini-2024-07-18');
    expect(show.out).toMatch(/r2 .* add-candidate/);
    const list = await w.run(['models', 'list']);
    expect(list.out).toContain('llmgw.routes.json revision 2: 1 alias, 2 models');
  });

  it('--expect-revision refuses a stale write with exit 1 and changes nothing', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', B]);
    const before = readFileSync(w.manifest, 'utf8');
    const r = await w.run(['models', 'promote', 'bot', '--model', B, '--expect-revision', '1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('The manifest is at revision 2, not 1');
    expect(r.err).toContain('--expect-revision 2');
    expect(readFileSync(w.manifest, 'utf8')).toBe(before);
    expect((await w.run(['models', 'promote', 'bot', '--model', B, '--expect-revision', '2'])).code).toBe(0);
  });

  it('usage errors: no manifest, unknown alias, both or neither of --model/--job, bad canary', async () => {
    const w = modelsWorld();
    const missing = await w.json(['models', 'list']);
    expect(missing.code).toBe(2);
    expect(missing.data).toMatchObject({ error: { code: 'manifest_not_found', hint: expect.stringContaining('llmgw init') } });
    await w.run(['models', 'register', 'bot', A]);
    expect((await w.run(['models', 'promote', 'nope', '--model', A])).code).toBe(2);
    expect((await w.run(['models', 'promote', 'bot'])).code).toBe(2);
    expect((await w.run(['models', 'promote', 'bot', '--model', A, '--job', 'ftjob-1'])).code).toBe(2);
    expect((await w.run(['models', 'register', 'bot', B])).code).toBe(0);
    expect((await w.run(['models', 'promote', 'bot', '--model', B, '--canary', '150'])).code).toBe(2);
    expect((await w.run(['models', 'rollback', 'bot', '--to', '99'])).code).toBe(2);
  });

  it('reads the manifest from --manifest and LLMGW_MANIFEST', async () => {
    const w = modelsWorld();
    // register creates the manifest, and its folder; other writes need an existing manifest
    expect((await w.run(['models', 'register', 'bot', A, '--manifest', 'deploy/routes.json'])).code).toBe(0);
    expect(readFileSync(join(w.dir, 'deploy', 'routes.json'), 'utf8')).toContain(A);
    const noDir = await w.json(['models', 'rollback', 'bot', '--manifest', 'nowhere/routes.json']);
    expect(noDir.code).toBe(2);
    expect(noDir.data).toMatchObject({ error: { code: 'manifest_not_found' } });
    await w.run(['models', 'register', 'bot', A, '--manifest', 'other.json']);
    const viaEnv = await w.json(['models', 'list'], { LLMGW_MANIFEST: 'other.json' });
    expect(viaEnv.data).toMatchObject({ manifest: 'other.json', revision: 1 });
  });
});

describe('models resolve', () => {
  it('gives the weighted targets and a reproducible observed split', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', B]);
    await w.run(['models', 'promote', 'bot', '--model', B, '--canary', '30']);
    const r = await w.json<{ targets: { providerModelId: string; share: number }[]; observed: { id: string; count: number; expected: number }[] }>(['models', 'resolve', 'bot', '--samples', '2000', '--seed', '9']);
    expect(r.data.targets.map((t) => [t.providerModelId, t.share])).toEqual([[A, 0.7], [B, 0.3]]);
    const again = await w.json<typeof r.data>(['models', 'resolve', 'bot', '--samples', '2000', '--seed', '9']);
    expect(again.data.observed).toEqual(r.data.observed);
    const canary = r.data.observed.find((o) => o.id === 'bot.support-Qw3rTy12');
    // 30% of 2000: sd ≈ 20.5; 6 sd cannot flake for a fixed seed
    expect(Math.abs((canary?.count ?? 0) - 600)).toBeLessThan(123);
  });
});

describe('models export', () => {
  it('writes LiteLLM and Portkey configs, and --check passes until the manifest changes', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    await w.run(['models', 'register', 'bot', B]);
    await w.run(['models', 'promote', 'bot', '--model', B]);
    const lite = await w.run(['models', 'export', '--to', 'litellm', '-o', 'gw/config.yaml']);
    expect(lite.code).toBe(0);
    expect(lite.err).toContain('left out 1 target(s) without traffic: bot.support-AbC12345 (weight 0 (previous))');
    const cfg = parseYaml(readFileSync(join(w.dir, 'gw', 'config.yaml'), 'utf8'));
    expect(cfg.model_list).toEqual([expect.objectContaining({ model_name: 'bot', litellm_params: expect.objectContaining({ model: `openai/${B}`, weight: 100 }) })]);
    expect(readFileSync(join(w.dir, 'gw', 'config.yaml'), 'utf8')).toMatch(/^# Generated by llmgw from llmgw.routes.json revision 3\./);
    expect((await w.run(['models', 'export', '--to', 'litellm', '-o', 'gw/config.yaml', '--check'])).code).toBe(0);

    await w.run(['models', 'rollback', 'bot']);
    const drift = await w.json(['models', 'export', '--to', 'litellm', '-o', 'gw/config.yaml', '--check']);
    expect(drift.code).toBe(1);
    expect(drift.data).toMatchObject({ error: { code: 'export_drifted' } });

    const pk = await w.json<{ content: string; revision: number }>(['models', 'export', '--to', 'portkey']);
    expect(pk.code).toBe(0);
    expect(JSON.parse(pk.data.content).configs.bot.targets[0].override_params.model).toBe(A);
  });

  it('refuses an unknown gateway and --check without a file', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    expect((await w.run(['models', 'export', '--to', 'kong'])).code).toBe(2);
    expect((await w.run(['models', 'export', '--to', 'litellm', '--check'])).code).toBe(2);
  });
});

describe('manifest validate', () => {
  it('passes a good manifest and lists every problem of a bad one with its path (exit 1)', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    expect((await w.json(['manifest', 'validate'])).data).toEqual({ manifest: 'llmgw.routes.json', valid: true, revision: 1, problems: [] });
    const m = JSON.parse(readFileSync(w.manifest, 'utf8'));
    m.aliases.bot.fallbacks = ['bot'];
    m.aliases.bot.targets[0].weight = 0;
    m.providers.openai['x-key'] = 'sk-live-abcdefghijklmnopqrstuv';
    writeFileSync(join(w.dir, 'bad.json'), JSON.stringify(m));
    const bad = await w.json<{ valid: boolean; problems: { path: string; code: string }[] }>(['manifest', 'validate', 'bad.json']);
    expect(bad.code).toBe(1);
    expect(bad.data.problems.map((p) => `${p.code} ${p.path}`).sort()).toEqual(['fallback_cycle $.aliases.bot.fallbacks', 'no_traffic $.aliases.bot.targets', 'secret_in_manifest $.providers.openai["x-key"]']);
    const text = await w.run(['manifest', 'validate', 'bad.json']);
    expect(text.out).toContain('bad.json: 3 problems');
    expect(text.out + text.err).not.toContain('sk-live-abcdefghijklmnopqrstuv');
    writeFileSync(join(w.dir, 'broken.json'), '{"schemaVersion": 1,');
    expect((await w.json(['manifest', 'validate', 'broken.json'])).data).toMatchObject({ valid: false, problems: [{ code: 'invalid_json' }] });
    expect((await w.run(['manifest', 'validate', 'nope.json'])).code).toBe(2);
  });
});

describe('models promote --job from the ledger', () => {
  it('takes the model of a job the ledger saw succeed, without asking the provider (no key set)', async () => {
    const w = modelsWorld();
    await w.run(['models', 'register', 'bot', A]);
    const ledger = new Ledger({ dir: w.dir });
    const at = '2026-11-20T10:00:00.000Z';
    await ledger.append({
      ledgerId: 'lj_0123456789abcdef0123', provider: 'openai', account: 'https://api.openai.com/v1', fingerprint: 'f'.repeat(64), state: 'created',
      providerJobId: 'ftjob-ledger1', status: 'succeeded', baseModel: 'gpt-4.1-mini-2025-04-14', method: 'supervised', hyperparameters: {}, suffix: 'support',
      seed: null, metadata: {}, training: { path: 'train.jsonl', sha256: 'a'.repeat(64), bytes: 1234, fileId: 'file-1' }, validation: null,
      fineTunedModel: B, error: null, eventCursor: null, createdAt: at, updatedAt: at,
    });
    const r = await w.json<{ model: string; targets: { model: string; role: string; weight: number }[] }>(['models', 'promote', 'bot', '--job', 'ftjob-ledger1']);
    expect(r.code).toBe(0);
    expect(r.data.targets.map((t) => [t.model, t.role, t.weight])).toEqual([[B, 'stable', 100], [A, 'previous', 0]]);
    expect(JSON.parse(readFileSync(w.manifest, 'utf8')).models[B]).toMatchObject({ jobId: 'ftjob-ledger1', datasetHash: 'a'.repeat(64), baseModel: 'gpt-4.1-mini-2025-04-14' });
  });
});
