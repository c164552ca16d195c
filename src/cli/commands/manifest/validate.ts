import { checkManifest } from '../../../core/manifest/parse.js';
import type { ManifestProblem } from '../../../core/manifest/problems.js';
import { missingManifest, readManifestText } from '../../../core/manifest/store.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, type ManifestOpts } from '../models/shared.js';

export interface ValidateData {
  manifest: string;
  valid: boolean;
  revision: number | null;
  problems: ManifestProblem[];
}

/** `llmgw manifest validate [path]`: every problem listed with its JSON path; exit 1 when any. */
export async function run(ctx: CommandContext, args: string[], opts: ManifestOpts): Promise<number> {
  const path = manifestPath(ctx, opts, args[0]);
  const text = await readManifestText(path);
  if (text === undefined) throw missingManifest(path);
  let value: unknown;
  let problems: ManifestProblem[];
  let revision: number | null = null;
  try {
    value = JSON.parse(text);
    const check = checkManifest(value);
    problems = check.problems;
    revision = check.manifest?.revision ?? null;
  } catch (err) {
    problems = [{ path: '$', code: 'invalid_json', message: `not JSON: ${(err as Error).message}` }];
  }
  const data: ValidateData = { manifest: displayPath(ctx, path), valid: problems.length === 0, revision, problems };
  if (ctx.out.json) ctx.out.printJson(data);
  else ctx.out.print(renderValidate(ctx.out.c, data));
  return data.valid ? 0 : 1;
}

export function renderValidate(c: CommandContext['out']['c'], d: ValidateData): string {
  if (d.valid) return `${c.green('✓')} ${d.manifest} is a valid routing manifest (revision ${d.revision})`;
  const lines = [`${c.red('✗')} ${d.manifest}: ${d.problems.length} problem${d.problems.length === 1 ? '' : 's'}`];
  for (const p of d.problems) lines.push(`  ${c.bold(p.path)}  ${p.message} ${c.dim(`[${p.code}]`)}`);
  return lines.join('\n');
}
