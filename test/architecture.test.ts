import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Strips comments so a word in prose does not count as a use. */
function code(path: string): string {
  return readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('architecture', () => {
  const core = tsFiles(join(root, 'src/core'));

  it('keeps src/core free of CLI libraries and process globals', () => {
    const offenders: string[] = [];
    for (const file of core) {
      const text = code(file);
      const imports = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const spec of imports) {
        if (['commander', 'ora', 'chalk', 'conf', 'process', 'node:process'].includes(spec ?? '')) offenders.push(`${relative(root, file)} imports ${spec}`);
      }
      if (/\bprocess\s*[.[]/.test(text)) offenders.push(`${relative(root, file)} uses process`);
      if (/\bconsole\s*\./.test(text)) offenders.push(`${relative(root, file)} uses console`);
    }
    expect(offenders).toEqual([]);
  });

  it('lets nothing under src/ end the process', () => {
    const offenders = tsFiles(join(root, 'src'))
      .filter((f) => /process\s*\.\s*(exit\b|exitCode\b)/.test(code(f)))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('keeps bin/llmgw.js to an import and an exit code', () => {
    const lines = readFileSync(join(root, 'bin/llmgw.js'), 'utf8').trim().split('\n').filter((l) => !l.startsWith('#!'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^process\.exitCode = await main\(/);
  });

  it('loads only commander at the top of the CLI entry (start-up time)', () => {
    const entryFiles = ['src/cli/main.ts', 'src/cli/program.ts', 'src/cli/globals.ts', 'src/cli/io.ts', 'src/cli/output/errors.ts', 'src/cli/output/color.ts'];
    const nounFiles = tsFiles(join(root, 'src/cli/commands')).filter((f) => /commands\/(index|[^/]+\/index)\.ts$/.test(f));
    const heavy = ['openai', 'zod', 'ora', 'chalk', 'conf', 'gpt-tokenizer', 'csv-parse', 'yaml'];
    const offenders: string[] = [];
    for (const file of [...entryFiles.map((f) => join(root, f)), ...nounFiles]) {
      const staticImports = [...code(file).matchAll(/^import\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');
      for (const spec of staticImports) if (heavy.some((h) => spec === h || spec.startsWith(`${h}/`))) offenders.push(`${relative(root, file)} imports ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
});
