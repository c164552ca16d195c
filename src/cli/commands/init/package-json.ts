/**
 * The CI files run the llmgw the repository pins (`npm ci`, then `npx --no-install llmgw …`), so
 * `init --ci` makes llmgw a devDependency of an existing package.json. The lockfile is npm's to
 * write: the next step `init` prints is `npm install`. Without a package.json, it prints the one
 * install line that creates both.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/fs/atomic.js';
import type { InitFile } from './init.js';

export interface DevDependencyChange {
  /** The new file text, or undefined when nothing changes. */
  text: string | undefined;
  file: InitFile;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** Adds `llmgw` to devDependencies, keeping the file's indentation; leaves a file that already has it. */
export function addDevDependency(text: string, range: string): DevDependencyChange {
  let pkg: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    pkg = parsed as Record<string, unknown>;
  } catch {
    return { text: undefined, file: { path: 'package.json', action: 'skipped', note: `not valid JSON; add llmgw yourself: npm install --save-dev llmgw@${range.replace(/^\^/, '')}` } };
  }
  for (const field of DEP_FIELDS) {
    const deps = pkg[field] as Record<string, unknown> | undefined;
    if (deps && typeof deps === 'object' && typeof deps.llmgw === 'string') {
      return { text: undefined, file: { path: 'package.json', action: 'unchanged', note: `already has llmgw ${deps.llmgw} in ${field}` } };
    }
  }
  const dev = (pkg.devDependencies && typeof pkg.devDependencies === 'object' ? pkg.devDependencies : {}) as Record<string, unknown>;
  // Sorted by name, as npm writes them.
  pkg.devDependencies = Object.fromEntries([...Object.entries(dev), ['llmgw', range]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(pkg, null, indent).replace(/\n/g, eol);
  return { text: `${body}${text.endsWith('\n') ? eol : ''}`, file: { path: 'package.json', action: 'updated', note: `added llmgw ${range} to devDependencies; run npm install to lock it` } };
}

/** Applies `addDevDependency` to `dir/package.json`; undefined when there is none. */
export async function pinInPackageJson(dir: string, version: string): Promise<InitFile | undefined> {
  const path = join(dir, 'package.json');
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const change = addDevDependency(text, `^${version}`);
  // The user's file keeps its mode and owner.
  if (change.text !== undefined) await writeFileAtomic(path, change.text, { keepAttributes: true });
  return change.file;
}
