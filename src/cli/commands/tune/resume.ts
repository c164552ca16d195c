import type { CommandContext } from '../../command.js';
import type { ProviderOpts } from './context.js';
import { pauseOrResume } from './pause-resume.js';

/** `tune resume <job>`: resumes a paused job where the provider can. */
export function run(ctx: CommandContext, args: string[], opts: ProviderOpts): Promise<number> {
  return pauseOrResume(ctx, args[0] ?? '', opts, 'resume');
}
