import type { CommandContext } from '../../command.js';
import { findProjectConfig } from '../../config/project.js';
import { UserStore } from '../../config/user-store.js';

/** `llmgw config path`: the user config file (which may not exist yet), and any project config found. */
export async function run(ctx: CommandContext): Promise<number> {
  const store = new UserStore(ctx.io);
  const user = store.path;
  const project = findProjectConfig(ctx.io.cwd) ?? null;
  if (ctx.out.json) {
    ctx.out.printJson({ user, userExists: store.exists, project });
    return 0;
  }
  ctx.out.print(user);
  if (project) ctx.out.info(ctx.out.ec.dim(`project config: ${project}`));
  return 0;
}
