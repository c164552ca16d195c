import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ISSUE_CATALOG, ISSUE_CODES } from '../../../src/core/dataset/issues.js';
import { createTokenPool } from '../../../src/core/tokens/pool.js';
import { fixturePath, RULES_DIR, runFixture } from './rule-fixtures.js';

const pool = createTokenPool({ threads: 0 });
afterAll(() => pool.close());

describe('rule fixtures: every code has a bad and a fixed example', () => {
  it('has a fixture folder for every code and none for unknown codes', () => {
    const folders = readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual([...ISSUE_CODES].sort());
    for (const code of ISSUE_CODES) {
      expect(existsSync(fixturePath(code, 'bad')), code).toBe(true);
      expect(existsSync(fixturePath(code, 'fixed')), code).toBe(true);
    }
  });

  it.each(ISSUE_CODES)('%s: the bad example reports exactly that code, the fixed one nothing', async (code) => {
    const bad = await runFixture(code, 'bad', pool);
    expect(Object.keys(bad.issueCounts)).toEqual([code]);
    const issue = bad.issues[0];
    expect(issue?.severity).toBe(ISSUE_CATALOG[code].severity);
    expect(issue?.message.length).toBeGreaterThan(10);
    expect(issue?.hint.length).toBeGreaterThan(5);
    expect(bad.valid).toBe(ISSUE_CATALOG[code].severity !== 'error');

    const fixed = await runFixture(code, 'fixed', pool);
    expect(fixed.issues).toEqual([]);
    expect(fixed.valid).toBe(true);
  });
});
