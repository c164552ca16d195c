/**
 * `init` and `config` through the built binary (`node bin/llmgw.js`, run `npm run build` first),
 * from a folder outside the repository: templates must be found beside the installed code, and
 * a stored key must never reach any output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'llmgw.js');
const KEY = 'sk-proj-E2EKEY0123456789abcdefghijklmnopqrstuvwxyzQRST';

function llmgw(cwd: string, args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPENAI_') && !k.startsWith('LLMGW_')) base[k] = v;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...base, NO_COLOR: '1', ...env }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('llmgw init (built binary)', () => {
  it('writes the starter project from the packaged templates, whatever the working folder', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-e2e-init-'));
    const r = llmgw(cwd, ['init', 'proj', '--ci', 'github', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { files: { path: string; action: string }[] };
    expect(doc.files.map((f) => f.action)).toEqual(['created', 'created', 'created', 'created', 'created']);
    for (const f of doc.files) expect(existsSync(join(cwd, 'proj', f.path))).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('templates/');
  });

  it('documents itself with an example', () => {
    const r = llmgw(ROOT, ['init', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ llmgw init my-project --ci github');
  });
});

describe('llmgw config (built binary)', () => {
  it('stores a key owner-only and never prints it, in text or JSON', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'llmgw-e2e-config-'));
    const env = { LLMGW_CONFIG_DIR: join(cwd, 'cfg') };
    const runs = [
      llmgw(cwd, ['config', 'set', 'openai.apiKey', KEY], env),
      llmgw(cwd, ['config', 'get', 'openai.apiKey'], env),
      llmgw(cwd, ['config', 'list'], env),
      llmgw(cwd, ['config', 'list', '--json', '--debug'], env),
    ];
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const path = llmgw(cwd, ['config', 'path'], env).stdout.trim();
    expect(path).toBe(join(cwd, 'cfg', 'config.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(runs[1]?.stdout).toBe('sk-proj-…QRST\n');
    const printed = runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(printed).not.toContain(KEY.slice(8, -4));
  });
});
