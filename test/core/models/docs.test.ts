import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_ID, listModels } from '../../../src/core/models/catalog.js';
import { PRICE_TABLE_DATE } from '../../../src/core/models/pricing.js';

const doc = readFileSync(join(import.meta.dirname, '../../../docs/tokens.md'), 'utf8');

/** The rows of the "Base models" table: cells without the markdown pipes and footnote marks. */
function tableRows(): string[][] {
  const section = doc.slice(doc.indexOf('## Base models'), doc.indexOf('## Training prices'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| model') && !line.startsWith('|---'))
    .map((line) => line.slice(1, -1).split('|').map((cell) => cell.trim().replace(/[¹²³]$/, '')));
}

describe('docs/tokens.md', () => {
  it('shows the catalogue exactly, in catalogue order', () => {
    const expected = listModels().map((m) => [
      m.id,
      m.aliases.join(', '),
      m.encoding,
      m.maxExampleTokens.toLocaleString('en-US'),
      m.limitSource,
      m.methods.join(', '),
      m.format,
      m.trainingPricePerMillion === null ? '—' : m.trainingPricePerMillion.toFixed(2),
    ]);
    const rows = tableRows().map((row) => [...row.slice(0, 7), row[7]?.replace(' (per hour)', '') ?? '']);
    expect(rows).toEqual(expected);
  });

  it('names the default model and the price table date', () => {
    expect(doc).toContain(`default is **${DEFAULT_MODEL_ID}**`);
    expect(doc).toContain(`**${PRICE_TABLE_DATE}**`);
  });
});
