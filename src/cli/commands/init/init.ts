import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import { writeFileAtomic } from '../../../core/fs/atomic.js';
import type { CommandContext } from '../../command.js';
import { packageVersion } from '../../version.js';
import { fillTemplate, GITIGNORE_TEMPLATE, MANIFEST_TEMPLATE, TEMPLATES_DIR, templateFiles, updateGitignore, type CiSystem } from './plan.js';
import { pinInPackageJson } from './package-json.js';
import { nextSteps, renderInit } from './render.js';

export interface InitOptions {
  ci?: CiSystem;
  force?: boolean;
}

export type FileAction = 'created' | 'replaced' | 'skipped' | 'updated' | 'unchanged';

export interface InitFile {
  /** Relative to the project folder, with `/` separators. */
  path: string;
  action: FileAction;
  note?: string;
}

export interface InitResult {
  dir: string;
  ci: CiSystem | null;
  files: InitFile[];
  next: string[];
}

/** `llmgw init [dir]`: writes the starter files, skipping existing ones unless `--force`. */
export async function run(ctx: CommandContext, args: string[], opts: InitOptions): Promise<number> {
  const dir = resolve(ctx.io.cwd, args[0] ?? '.');
  await ensureFolder(dir);
  const vars = { version: packageVersion() };
  const files: InitFile[] = [];
  for (const t of templateFiles(opts.ci)) {
    const target = join(dir, t.target);
    const exists = await pathExists(target);
    if (exists && !opts.force) {
      files.push({ path: t.target, action: 'skipped', note: 'exists; --force replaces it' });
      continue;
    }
    const revision = t.template === MANIFEST_TEMPLATE && exists ? await writtenRevision(target) : undefined;
    if (revision !== undefined) {
      files.push({ path: t.target, action: 'skipped', note: `holds routing state (revision ${revision}); --force never replaces it` });
      continue;
    }
    const text = fillTemplate(await readFile(join(TEMPLATES_DIR, t.template), 'utf8'), vars);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, text);
    files.push({ path: t.target, action: exists ? 'replaced' : 'created' });
  }
  files.push(await writeGitignore(dir));
  const pinned = opts.ci ? await pinInPackageJson(dir, vars.version) : undefined;
  if (pinned) files.push(pinned);
  const install = opts.ci ? installStep(pinned, vars.version) : undefined;
  const result: InitResult = { dir, ci: opts.ci ?? null, files, next: nextSteps(relative(ctx.io.cwd, dir), install) };
  if (ctx.out.json) ctx.out.printJson(result);
  else ctx.out.print(renderInit(result, ctx.out.c));
  return 0;
}

/** The npm command that pins llmgw for the CI files: lock the devDependency just added, or add it where there is no package.json. */
function installStep(pinned: InitFile | undefined, version: string): string | undefined {
  if (!pinned) return `npm install --save-dev llmgw@${version}`;
  return pinned.action === 'updated' ? 'npm install' : undefined;
}

async function writeGitignore(dir: string): Promise<InitFile> {
  const path = join(dir, '.gitignore');
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const change = updateGitignore(existing, await readFile(join(TEMPLATES_DIR, GITIGNORE_TEMPLATE), 'utf8'));
  if (change.text === undefined) return { path: '.gitignore', action: 'unchanged', note: 'already ignores .llmgw/' };
  await writeFileAtomic(path, change.text, { keepAttributes: true });
  return { path: '.gitignore', action: existing === undefined ? 'created' : 'updated', note: `added ${change.added.join(', ')}` };
}

async function ensureFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new UsageError('not_a_directory', `${dir} exists and is not a folder, so llmgw cannot set up a project in it.`, { hint: 'pass a folder path (or a new one to create)' });
  }
  if (!info) await mkdir(dir, { recursive: true });
}

async function pathExists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/**
 * The revision of a manifest llmgw has already written (revision > 0), or undefined. Such a file
 * is the live routing state the gateway reads; `init --force` is for refreshing starter files and
 * must not wipe it (remove it yourself to start over; its history log stays beside it).
 */
async function writtenRevision(path: string): Promise<number | undefined> {
  try {
    const revision = (JSON.parse(await readFile(path, 'utf8')) as { revision?: unknown }).revision;
    return typeof revision === 'number' && revision > 0 ? revision : undefined;
  } catch {
    return undefined;
  }
}
