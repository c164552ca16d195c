import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { emptyManifest } from '../../src/core/manifest/schema.js';
import { parseManifest, serializeManifest } from '../../src/core/manifest/parse.js';
import { memoryIo } from '../helpers/io.js';

const made: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmgw-init-'));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function init(cwd: string, args: string[]) {
  const io = memoryIo({ cwd, env: { NO_COLOR: '1' } });
  const code = await main(['init', ...args], io);
  return { code, io, json: () => JSON.parse(io.out()) as { dir: string; ci: string | null; files: { path: string; action: string }[]; next: string[] } };
}

const version = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
const actions = (files: { path: string; action: string }[]) => Object.fromEntries(files.map((f) => [f.path, f.action]));

describe('llmgw init', () => {
  it('writes the starter files into an empty folder and lists them', async () => {
    const dir = freshDir();
    const r = await init(dir, ['--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ dir, ci: null });
    expect(actions(r.json().files)).toEqual({ 'llmgw.routes.json': 'created', 'datasets/sample.jsonl': 'created', '.gitignore': 'created' });
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.llmgw\/$/m);
    const manifest = JSON.parse(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8'));
    expect(manifest.aliases).toEqual({});
    const lines = readFileSync(join(dir, 'datasets/sample.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const line of lines) {
      const ex = JSON.parse(line) as { messages: { role: string; content: string }[] };
      expect(ex.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(ex.messages.every((m) => m.content.trim().length > 0)).toBe(true);
    }
  });

  it('creates a folder given as an argument, and tells the user to cd into it', async () => {
    const cwd = freshDir();
    const r = await init(cwd, ['new/project']);
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, 'new/project')).sort()).toEqual(['.gitignore', 'datasets', 'llmgw.routes.json']);
    expect(r.io.out()).toContain('created   llmgw.routes.json');
    expect(r.io.out()).toContain('$ cd new/project');
  });

  it('leaves existing files alone without --force, and appends only the missing .gitignore line', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'llmgw.routes.json'), '{"mine": true}\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\ndist');
    const r = await init(dir, ['--json']);
    expect(r.code).toBe(0);
    expect(actions(r.json().files)).toEqual({ 'llmgw.routes.json': 'skipped', 'datasets/sample.jsonl': 'created', '.gitignore': 'updated' });
    expect(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')).toBe('{"mine": true}\n');
    const gitignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(gitignore.startsWith('node_modules/\ndist\n')).toBe(true);
    expect(gitignore.match(/^\.llmgw\/$/gm)).toHaveLength(1);

    const again = await init(dir, []);
    expect(again.code).toBe(0);
    expect(again.io.out()).toMatch(/skipped\s+llmgw\.routes\.json\s+\(exists; --force replaces it\)/);
    expect(again.io.out()).toMatch(/unchanged\s+\.gitignore/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(gitignore);
  });

  it('counts /.llmgw as the entry already there', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, '.gitignore'), '/.llmgw\n');
    const r = await init(dir, ['--json']);
    expect(actions(r.json().files)['.gitignore']).toBe('unchanged');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('/.llmgw\n');
  });

  it('replaces existing files with --force', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'datasets'));
    writeFileSync(join(dir, 'datasets/sample.jsonl'), 'OLD-CONTENT\n');
    writeFileSync(join(dir, 'llmgw.routes.json'), '{"mine": true}\n');
    const r = await init(dir, ['--force', '--json']);
    expect(actions(r.json().files)).toMatchObject({ 'llmgw.routes.json': 'replaced', 'datasets/sample.jsonl': 'replaced' });
    expect(JSON.parse(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')).aliases).toEqual({});
    expect(readFileSync(join(dir, 'datasets/sample.jsonl'), 'utf8')).not.toContain('OLD-CONTENT');
  });

  it('writes GitHub workflows with --ci github and the GitLab pipeline with --ci gitlab, running the llmgw the repository pins', async () => {
    const dir = freshDir();
    const gh = await init(dir, ['--ci', 'github', '--json']);
    expect(actions(gh.json().files)).toMatchObject({ '.github/workflows/llmgw-validate.yml': 'created', '.github/workflows/llmgw-tune.yml': 'created' });
    // No package.json: the one install line that creates it (and the lockfile) comes first.
    expect(gh.json().next[0]).toBe(`npm install --save-dev llmgw@${version}`);
    const gl = await init(dir, ['--ci', 'gitlab', '--json']);
    expect(actions(gl.json().files)).toMatchObject({ '.gitlab-ci.yml': 'created', 'llmgw.routes.json': 'skipped' });
    for (const f of ['.github/workflows/llmgw-validate.yml', '.github/workflows/llmgw-tune.yml', '.gitlab-ci.yml']) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text).not.toContain('{{llmgw.');
      expect(text).toContain('npm ci');
      expect(text).toContain('npx --no-install llmgw ');
      // Never a package fetched by name at run time (it would get whatever is published as llmgw).
      expect(text).not.toMatch(/npx (--yes|-y) |llmgw@\d/);
    }
  });

  it('--ci makes llmgw a devDependency of an existing package.json, keeping its layout, once', async () => {
    const dir = freshDir();
    const original = '{\n    "name": "support-bot",\n    "private": true,\n    "devDependencies": {\n        "typescript": "^5.9.0",\n        "eslint": "^10.0.0"\n    }\n}\n';
    writeFileSync(join(dir, 'package.json'), original);
    const r = await init(dir, ['--ci', 'github', '--json']);
    expect(r.json().files.find((f) => f.path === 'package.json')).toEqual({ path: 'package.json', action: 'updated', note: `added llmgw ^${version} to devDependencies; run npm install to lock it` });
    expect(r.json().next[0]).toBe('npm install');
    const text = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(text).toContain('\n    "devDependencies": {\n        "eslint": "^10.0.0",\n        "llmgw": ');
    expect(JSON.parse(text)).toEqual({ name: 'support-bot', private: true, devDependencies: { eslint: '^10.0.0', llmgw: `^${version}`, typescript: '^5.9.0' } });

    const again = await init(dir, ['--ci', 'gitlab', '--json']);
    expect(again.json().files.find((f) => f.path === 'package.json')).toMatchObject({ action: 'unchanged' });
    expect(again.json().next.some((s) => s.startsWith('npm '))).toBe(false);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(text);
    // Without --ci, package.json is none of init's business.
    writeFileSync(join(dir, 'package.json'), original);
    expect((await init(dir, ['--json'])).json().files.map((f) => f.path)).not.toContain('package.json');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(original);
  });

  it('leaves a package.json it cannot read as JSON alone, saying what to run', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'package.json'), '{ "name": "half-written",');
    const r = await init(dir, ['--ci', 'github', '--json']);
    expect(r.code).toBe(0);
    expect(r.json().files.find((f) => f.path === 'package.json')).toMatchObject({ action: 'skipped', note: expect.stringContaining(`npm install --save-dev llmgw@${version}`) });
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{ "name": "half-written",');
  });

  it('refuses an unknown CI system and a path that is a file (usage errors)', async () => {
    const dir = freshDir();
    expect((await init(dir, ['--ci', 'jenkins'])).code).toBe(2);
    writeFileSync(join(dir, 'file'), 'x');
    const r = await init(dir, ['file']);
    expect(r.code).toBe(2);
    expect(r.io.err()).toContain('is not a folder');
  });

  it('writes a starter manifest that passes the manifest checks, in canonical form, with no aliases', async () => {
    const dir = freshDir();
    await init(dir, []);
    const text = readFileSync(join(dir, 'llmgw.routes.json'), 'utf8');
    const manifest = parseManifest(text, 'llmgw.routes.json');
    expect(serializeManifest(manifest)).toBe(text);
    const { updatedAt: _never, ...empty } = emptyManifest(0);
    expect(manifest).toEqual(empty);
  });

  it('never replaces a manifest llmgw has written, even with --force', async () => {
    const dir = freshDir();
    const live = '{"schemaVersion": 1, "revision": 7, "providers": {}, "models": {}, "aliases": {}}\n';
    writeFileSync(join(dir, 'llmgw.routes.json'), live);
    const r = await init(dir, ['--force', '--json']);
    expect(r.code).toBe(0);
    expect(r.json().files[0]).toEqual({ path: 'llmgw.routes.json', action: 'skipped', note: 'holds routing state (revision 7); --force never replaces it' });
    expect(readFileSync(join(dir, 'llmgw.routes.json'), 'utf8')).toBe(live);
  });
});
