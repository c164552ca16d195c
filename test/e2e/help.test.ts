/**
 * `llmgw --help` into a pipe prints the help that `npm run build` stored (scripts/help-text.mjs)
 * without loading commander, for start-up time (DESIGN §8). It must be, byte for byte, what
 * commander renders there: `llmgw help` always takes commander's path.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { storedTopHelp as StoredTopHelp } from '../../src/cli/help-text.js';
import { root } from '../helpers/built-cli.js';

const exec = promisify(execFile);

/** The environment of a pipe nobody asked to colour. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['FORCE_COLOR', 'CLICOLOR_FORCE', 'NO_COLOR']) delete env[key];
  return env;
}

async function llmgw(args: string[], env = plainEnv()): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, [join(root, 'bin/llmgw.js'), ...args], { cwd: root, env });
}

describe('llmgw --help (built binary)', () => {
  it('prints what commander renders, byte for byte, for --help and -h, exit 0 and nothing on stderr', async () => {
    const rendered = await llmgw(['help']);
    expect(rendered.stdout).toMatch(/^Usage: llmgw \[options\] \[command\]\n/);
    expect(rendered.stdout).toContain('Exit codes: 0 done');
    for (const flag of ['--help', '-h']) {
      const r = await llmgw([flag]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(rendered.stdout);
    }
  });

  it('uses the stored text only where commander would render the same: not on a terminal, not with colour forced', async () => {
    const { storedTopHelp } = (await import(pathToFileURL(join(root, 'dist/cli/help-text.js')).href)) as { storedTopHelp: typeof StoredTopHelp };
    const rendered = (await llmgw(['help'])).stdout;
    expect(storedTopHelp(false, {})).toBe(rendered);
    expect(storedTopHelp(true, {})).toBeUndefined();
    expect(storedTopHelp(false, { FORCE_COLOR: '1' })).toBeUndefined();
    expect(storedTopHelp(false, { CLICOLOR_FORCE: '1' })).toBeUndefined();
    // With colour forced, commander renders it (and the run still succeeds).
    const forced = await llmgw(['--help'], { ...plainEnv(), FORCE_COLOR: '1' });
    expect(forced.stdout).toContain('llmgw');
  });
});
