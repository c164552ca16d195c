import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISSUE_CODES } from '../../../src/core/dataset/issues.js';
import { createTokenPool } from '../../../src/core/tokens/pool.js';
import { renderRulesDoc } from './rules-doc.js';

const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());
const DOC = join(import.meta.dirname, '../../../docs/rules.md');

describe('docs/rules.md', () => {
  it('is what the catalogue and the fixtures render (run with -u after changing a rule)', async () => {
    await expect(await renderRulesDoc(pool)).toMatchFileSnapshot(DOC);
  });

  it('documents every code with a bad example, the message and the fixed example', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const code of ISSUE_CODES) {
      const start = doc.indexOf(`### \`${code}\``);
      expect(start, `${code} is missing from docs/rules.md`).toBeGreaterThan(-1);
      const section = doc.slice(start, doc.indexOf('\n### ', start + 1) === -1 ? undefined : doc.indexOf('\n### ', start + 1));
      expect(section).toContain('Bad (');
      expect(section).toContain('llmgw prints:');
      expect(section).toContain('Fixed:');
    }
  });
});
