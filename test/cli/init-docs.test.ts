/**
 * docs/troubleshooting.md must stay true: every error code in its table exists in the source, and
 * where the code is thrown directly, the exit code in the table is that error class's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [readFileSync(full, 'utf8')] : [];
  });
}

const EXIT_OF_CLASS: Record<string, number> = {
  CheckFailedError: 1,
  ManifestInvalidError: 1,
  UsageError: 2,
  ProviderRejectedError: 2,
  ConfigError: 3,
  ProviderAuthError: 3,
  ProviderError: 4,
  TimeoutError: 5,
  InterruptedError: 130,
};

describe('docs/troubleshooting.md', () => {
  const table = readFileSync(join(ROOT, 'docs/troubleshooting.md'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| symptom') && !l.startsWith('|---'))
    .map((l) => l.split(' | ').map((c) => c.trim()));
  const code = sources(join(ROOT, 'src')).join('\n');

  it('names only error codes that exist, with the exit code their error class has', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [, codeCell = '', exitCell = ''] of table) {
      const name = /^`([a-z][a-z0-9_]+)`$/.exec(codeCell)?.[1];
      if (!name || name === 'internal_error') continue;
      checked += 1;
      if (!code.includes(`'${name}'`)) wrong.push(`${name}: not in src/`);
      const thrown = new RegExp(`new (\\w+)\\(\\s*'${name}'`).exec(code)?.[1];
      const expected = thrown ? EXIT_OF_CLASS[thrown] : undefined;
      if (expected !== undefined && String(expected) !== exitCell) wrong.push(`${name}: table says exit ${exitCell}, ${thrown} exits ${expected}`);
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(wrong).toEqual([]);
  });
});
