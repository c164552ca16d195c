import { relative, resolve } from 'node:path';
import type { WriteOptions } from '../../../core/manifest/store.js';
import type { CommandContext } from '../../command.js';
import { resolveDefault } from '../../settings.js';

export interface ManifestOpts {
  manifest?: string;
}

export interface WriteOpts extends ManifestOpts {
  expectRevision?: number;
  reason?: string;
}

/** The manifest's absolute path: --manifest, LLMGW_MANIFEST, config, then ./llmgw.routes.json (relative to the working folder). */
export function manifestPath(ctx: CommandContext, opts: ManifestOpts, explicit?: string): string {
  const chosen = explicit ?? resolveDefault(ctx, 'manifest', { value: opts.manifest, name: '--manifest' }).value ?? 'llmgw.routes.json';
  return resolve(ctx.io.cwd, chosen);
}

/** A path as the user sees it: relative to the working folder when inside it. */
export function displayPath(ctx: CommandContext, path: string): string {
  const rel = relative(ctx.io.cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Who is changing the manifest, for the history log: a name from the environment, never a credential. */
export function actor(env: CommandContext['io']['env']): string | undefined {
  return env.LLMGW_ACTOR || env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.USER || env.USERNAME || undefined;
}

export function writeOptions(ctx: CommandContext, path: string, opts: WriteOpts): WriteOptions {
  return {
    path,
    owner: ctx.io,
    now: () => ctx.io.now(),
    expectRevision: opts.expectRevision,
    reason: opts.reason,
    who: actor(ctx.io.env),
  };
}
