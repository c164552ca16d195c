/**
 * Project config: `.llmgwrc.json` in the project folder, found by walking up from the working
 * folder to the repository root (the first folder holding `.git`) or the file-system root. It is
 * meant to be committed, so it never holds a secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../core/errors.js';

export const PROJECT_CONFIG_FILE = '.llmgwrc.json';

export function findProjectConfig(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

export function readProjectConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('project_config_unreadable', `Cannot read the project config ${path}: ${(err as Error).message}.`, {
      hint: 'check the file permissions, or remove the file',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError('project_config_invalid', `The project config ${path} is not valid JSON: ${(err as Error).message}.`, {
      hint: 'fix the JSON (an object such as {"provider": "openai", "openai": {"baseUrl": "…"}})',
    });
  }
}
