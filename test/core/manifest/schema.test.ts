import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchemaText } from '../../../src/core/manifest/json-schema.js';
import { checkManifest, parseManifest, serializeManifest } from '../../../src/core/manifest/parse.js';
import { emptyManifest } from '../../../src/core/manifest/schema.js';
import { A, B, FIXTURES, fixtureManifest, manifestWith } from './helpers.js';

const root = join(import.meta.dirname, '../../..');
// The tests below break the sample JSON in arbitrary places, so it is typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const raw = () => JSON.parse(readFileSync(join(FIXTURES, 'routes.json'), 'utf8')) as Record<string, any>;
const codes = (v: unknown) => checkManifest(v).problems.map((p) => `${p.code} ${p.path}`);

describe('manifest schema', () => {
  it('accepts the sample manifest, keeping x- extension keys at every level', () => {
    const m = fixtureManifest();
    expect((m.aliases['support-eu'] as Record<string, unknown>)['x-owner']).toBe('eu-team');
    expect((m.providers.together as Record<string, unknown>)['x-team']).toBe('ml-platform');
    expect(serializeManifest(m)).toContain('"x-notes": "no base model recorded"');
  });

  it('rejects unknown keys at every level, with their JSON path', () => {
    const v = raw();
    v.colour = 'blue';
    v.aliases['support-bot'].targets[0].wieght = 5;
    v.providers.openai.apiKey = 'OPENAI_API_KEY';
    expect(codes(v)).toEqual(
      expect.arrayContaining(['unknown_key $.colour', 'unknown_key $.aliases["support-bot"].targets[0].wieght', 'unknown_key $.providers.openai.apiKey']),
    );
  });

  it('checks types and versions', () => {
    const v = raw();
    v.schemaVersion = 2;
    v.aliases['support-bot'].targets[1].weight = 2.5;
    v.aliases['support-bot'].targets[2].weight = -1;
    v.aliases['support-bot'].targets[0].role = 'champion';
    const found = codes(v);
    expect(found).toContain('schema_invalid_value $.schemaVersion');
    expect(found.some((c) => c.endsWith('.targets[1].weight'))).toBe(true);
    expect(found.some((c) => c.endsWith('.targets[2].weight'))).toBe(true);
    expect(found.some((c) => c.endsWith('.targets[0].role'))).toBe(true);
  });

  it('accepts the starter manifest `llmgw init` writes (no updatedAt yet)', () => {
    expect(checkManifest({ schemaVersion: 1, revision: 0, providers: {}, models: {}, aliases: {} }).problems).toEqual([]);
    expect(checkManifest(emptyManifest(0)).problems).toEqual([]);
  });
});

describe('semantic checks', () => {
  it('lists every problem: dangling model and provider, no traffic, fallback to nowhere, cycles, roles', () => {
    const v = raw();
    v.aliases['support-bot'].targets[0].model = 'ft:not-registered';
    v.models['support-eu-ft'].provider = 'azure-us';
    v.aliases['support-eu'].targets[0].weight = 0;
    v.aliases['support-eu'].targets[1].weight = 0;
    v.aliases['support-eu'].fallbacks = ['support-bot', 'ghost'];
    v.aliases['support-bot'].targets[2].weight = 5; // previous with traffic
    expect(codes(v).sort()).toEqual(
      [
        'unknown_model $.aliases["support-bot"].targets[0].model',
        'unknown_provider $.models["support-eu-ft"].provider',
        'no_traffic $.aliases["support-eu"].targets',
        'unknown_fallback $.aliases["support-eu"].fallbacks[1]',
        'fallback_cycle $.aliases["support-bot"].fallbacks',
        'traffic_on_inactive_target $.aliases["support-bot"].targets[2].weight',
      ].sort(),
    );
  });

  it('finds a self-fallback and duplicate target ids', () => {
    const v = raw();
    v.aliases['support-eu'].fallbacks = ['support-eu'];
    v.aliases['support-bot'].targets[1].id = v.aliases['support-bot'].targets[0].id;
    expect(codes(v)).toEqual(expect.arrayContaining(['fallback_cycle $.aliases["support-eu"].fallbacks', 'duplicate_target_id $.aliases["support-bot"].targets[1].id']));
  });

  it('finds values that look like secrets anywhere, without echoing them', () => {
    const v = raw();
    const key = 'sk-proj-abcdefghijklmnop0123456789';
    v.providers.openai['x-key'] = key;
    v.models[A] = { ...v.models[A], 'x-debug': 'Authorization: Bearer abcdefgh12345678' };
    const problems = checkManifest(v).problems.filter((p) => p.code === 'secret_in_manifest');
    expect(problems.map((p) => p.path)).toEqual(['$.providers.openai["x-key"]', `$.models["${A}"]["x-debug"]`]);
    expect(JSON.stringify(problems)).not.toContain(key);
    // found even when the schema rejects the file too
    v.providers.openai.apiKey = key;
    expect(checkManifest(v).problems.filter((p) => p.code === 'secret_in_manifest')).toHaveLength(3);
  });

  it('parseManifest throws a check failure (exit 1) carrying every problem', () => {
    const v = raw();
    v.aliases['support-bot'].fallbacks = ['ghost'];
    try {
      parseManifest(JSON.stringify(v));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'manifest_invalid', exitCode: 1 });
      expect((err as { problems: unknown[] }).problems).toHaveLength(1);
    }
    expect(() => parseManifest('{"schemaVersion": 1,')).toThrow(expect.objectContaining({ code: 'manifest_invalid' }));
  });
});

describe('serialisation', () => {
  it('is deterministic: sorted maps, schema key order, two spaces, trailing newline', () => {
    const m = manifestWith('zeta', B, A);
    const shuffled = { ...m, aliases: Object.fromEntries(Object.entries({ alpha: m.aliases.zeta, ...m.aliases }).reverse()), models: Object.fromEntries(Object.entries(m.models).reverse()) };
    const text = serializeManifest(shuffled as typeof m);
    expect(text).toBe(serializeManifest(m.aliases.zeta ? { ...m, aliases: { alpha: m.aliases.zeta, zeta: m.aliases.zeta } } : m));
    expect(text.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(text))).toEqual(['schemaVersion', 'revision', 'updatedAt', 'providers', 'models', 'aliases']);
    expect(Object.keys(JSON.parse(text).aliases)).toEqual(['alpha', 'zeta']);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });

  it('round-trips the sample byte for byte after one pass', () => {
    const once = serializeManifest(fixtureManifest());
    expect(serializeManifest(parseManifest(once))).toBe(once);
  });
});

describe('JSON Schema', () => {
  it('the committed schema file is the one generated from the zod schema', () => {
    // On failure: regenerate it as docs/manifest.md says (from the build, after changing schema.ts).
    expect(readFileSync(join(root, MANIFEST_JSON_SCHEMA_PATH), 'utf8'), `${MANIFEST_JSON_SCHEMA_PATH} is out of date`).toBe(manifestJsonSchemaText());
  });

  it('rejects unknown keys but allows x- keys, like the zod schema', () => {
    const schema = JSON.parse(manifestJsonSchemaText());
    expect(schema.additionalProperties).toBe(false);
    expect(schema.patternProperties).toEqual({ '^x-': {} });
    const target = schema.properties.aliases.additionalProperties.properties.targets.items;
    expect(target.additionalProperties).toBe(false);
    expect(target.properties.weight).toMatchObject({ type: 'integer', minimum: 0 });
  });
});
