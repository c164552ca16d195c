import { mkdirSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One temp folder per run: TMPDIR points every test, and every process a test starts, into it,
// and test/setup/run-tmp.ts removes it when the run ends. A run leaves nothing behind in the
// system's temp folder, even where a test forgets to clean up after itself.
const runTmp = mkdtempSync(join(tmpdir(), 'llmgw-test-run-'));
process.env.LLMGW_TEST_RUN_TMP = runTmp;
// Tests (and the CLI processes they spawn) never read or write the developer's own user config.
const configDir = join(runTmp, 'user-config');
mkdirSync(configDir);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI and fake servers; give them room on a 2-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default is one file fewer than the cores: a single worker on 2 cores, which left a
    // core idle (a serial run used 89% of one core). Files share no state (each makes its own temp
    // project and fake servers on port 0), so they run two at a time there; more than the cores
    // only adds contention, as the suite is CPU-bound.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/setup/run-tmp.ts'],
    env: { TMPDIR: runTmp, LLMGW_CONFIG_DIR: configDir },
    // The JSON report lets .ci/run print a one-line "N passed, N failed" summary.
    reporters: ['default', ['json', { outputFile: 'node_modules/.cache/llmgw-test-results.json' }]],
  },
});
