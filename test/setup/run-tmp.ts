/**
 * Global teardown: the run's temp folder (see vitest.config.ts), with everything the tests and
 * the processes they started left in it, is removed when the run ends.
 */
import { rmSync } from 'node:fs';

export function teardown(): void {
  const dir = process.env.LLMGW_TEST_RUN_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
