import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI and fake servers; give them room on a 2-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Tests (and the CLI processes they spawn) never read or write the developer's own user config.
    env: { LLMGW_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'llmgw-test-config-')) },
    // The JSON report lets .ci/run print a one-line "N passed, N failed" summary.
    reporters: ['default', ['json', { outputFile: 'node_modules/.cache/llmgw-test-results.json' }]],
  },
});
