/** A temp world for `config` tests: a user config folder and a project folder (a git root). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { memoryIo, type MemoryIo } from '../helpers/io.js';

export interface ConfigWorld {
  configDir: string;
  project: string;
  /** Every run so far, to check that no output ever held a key. */
  outputs: string[];
  run(argv: string[], env?: Record<string, string>): Promise<{ code: number; io: MemoryIo }>;
  writeProjectConfig(data: unknown): void;
}

export function configWorld(): ConfigWorld {
  const root = mkdtempSync(join(tmpdir(), 'llmgw-config-'));
  const configDir = join(root, 'user-config');
  const project = join(root, 'project');
  mkdirSync(join(project, '.git'), { recursive: true });
  const outputs: string[] = [];
  return {
    configDir,
    project,
    outputs,
    async run(argv, env = {}) {
      const io = memoryIo({ env: { LLMGW_CONFIG_DIR: configDir, NO_COLOR: '1', ...env }, cwd: project });
      const code = await main(argv, io);
      outputs.push(io.out(), io.err());
      return { code, io };
    },
    writeProjectConfig(data) {
      writeFileSync(join(project, '.llmgwrc.json'), JSON.stringify(data));
    },
  };
}
