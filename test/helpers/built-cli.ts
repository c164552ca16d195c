import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The repository root, where the built CLI is (`npm run build` first; `npm test` does). */
export const root = join(import.meta.dirname, '../..');
const exec = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin/llmgw.js` as a subprocess (no colour) and returns its exit code and output, never throwing on a non-zero exit. */
export async function runBuiltCli(args: string[], cwd: string = root): Promise<CliRun> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [join(root, 'bin/llmgw.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliRun;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
