import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { CheckFailedError, UsageError } from '../../../core/errors.js';
import { writeFileAtomic } from '../../../core/fs/atomic.js';
import { EXPORT_TARGETS, exportManifest, type ExportResult, type ExportTarget } from '../../../core/manifest/export/index.js';
import { loadManifest } from '../../../core/manifest/store.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, type ManifestOpts } from './shared.js';

interface Opts extends ManifestOpts {
  to: string;
  output?: string;
  check?: boolean;
  allowIncomplete?: boolean;
}

export interface ExportData {
  to: ExportTarget;
  revision: number;
  /** The file written or checked; null when printed to stdout. */
  output: string | null;
  /** `written`, `printed`, `up-to-date` (with --check). */
  result: 'written' | 'printed' | 'up-to-date';
  warnings: ExportResult['warnings'];
  omitted: ExportResult['omitted'];
  /** The generated config, only when printed (no -o). */
  content?: string;
}

/** `llmgw models export --to litellm|portkey [-o FILE] [--check]`. */
export async function run(ctx: CommandContext, _args: string[], opts: Opts): Promise<number> {
  if (!(EXPORT_TARGETS as readonly string[]).includes(opts.to)) {
    throw new UsageError('unknown_export_target', `Cannot export to "${opts.to}".`, { hint: `use --to ${EXPORT_TARGETS.join(' or --to ')}` });
  }
  const to = opts.to as ExportTarget;
  if (opts.check && !opts.output) throw new UsageError('check_needs_output', '--check compares with a file, so it needs -o FILE.', { hint: `e.g. llmgw models export --to ${to} -o ${to === 'litellm' ? 'config.yaml' : 'portkey.json'} --check` });
  const path = manifestPath(ctx, opts);
  const m = await loadManifest(path);
  const result = exportManifest(m, to, { source: basename(path) });
  const blocking = result.warnings.filter((w) => w.blocking);
  if (blocking.length > 0 && !opts.allowIncomplete) {
    // Every warning, not only the blocking ones: a target left out says why its alias has none.
    for (const w of result.warnings) ctx.out.warn(`${to}: ${w.message}`);
    throw new CheckFailedError('export_incomplete', `The ${to} config would fail requests: ${blocking.length} problem${blocking.length === 1 ? '' : 's'} (listed above), first: ${blocking[0]?.message}. Nothing was written.`, {
      hint: 'fix them in the manifest (most with `llmgw models provider set`), or write it anyway with --allow-incomplete',
    });
  }
  for (const w of result.warnings) ctx.out.warn(`${to}: ${w.message}`);
  if (result.omitted.length > 0) ctx.out.info(`left out ${result.omitted.length} target(s) without traffic: ${result.omitted.map((o) => `${o.target} (${o.reason})`).join(', ')}`);

  const out = opts.output ? resolve(ctx.io.cwd, opts.output) : undefined;
  const base = { to, revision: result.revision, output: out ? displayPath(ctx, out) : null, warnings: result.warnings, omitted: result.omitted };
  if (out && opts.check) {
    const onDisk = await readFile(out, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw new UsageError('export_unreadable', `Cannot read ${displayPath(ctx, out)} to compare it (${err.code ?? err.message}).`, { hint: 'pass the generated file with -o' });
    });
    if (onDisk !== result.text) {
      throw new CheckFailedError('export_drifted', `${displayPath(ctx, out)} ${onDisk === undefined ? 'does not exist' : 'differs from what manifest revision ' + result.revision + ' generates'}.`, {
        hint: `regenerate it: llmgw models export --to ${to} -o ${displayPath(ctx, out)}`,
      });
    }
    return finish(ctx, { ...base, result: 'up-to-date' }, `${displayPath(ctx, out)} is up to date with revision ${result.revision}`);
  }
  if (out) {
    await mkdir(dirname(out), { recursive: true });
    await writeFileAtomic(out, result.text, { keepAttributes: true });
    return finish(ctx, { ...base, result: 'written' }, `wrote ${displayPath(ctx, out)} (${to}, manifest revision ${result.revision})`);
  }
  if (ctx.out.json) ctx.out.printJson({ ...base, result: 'printed', content: result.text } satisfies ExportData);
  else ctx.io.stdout.write(result.text);
  return 0;
}

function finish(ctx: CommandContext, data: ExportData, message: string): number {
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(`${ctx.out.c.green('✓')} ${message}`);
  return 0;
}
