import type { CommandContext } from '../../command.js';
import type { ProviderOpts } from './context.js';
import { pauseOrResume } from './pause-resume.js';

/** `tune pause <job>`: pauses a running job where the provider can (it keeps its progress; `tune resume` goes on). */
export function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  return pauseOrResume(ctx, args[0] ?? '', opts, 'pause');
}
