import { isKeyShaped } from '../../../core/config/keys.js';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { UserStore } from '../../config/user-store.js';

/**
 * `llmgw config unset <key>`: removes it from the user config. Any key is accepted, so a stale or
 * misspelt entry found by `config list` can be removed too.
 */
export async function run(ctx: CommandContext, args: string[]): Promise<number> {
  const key = args[0] ?? '';
  if (!isKeyShaped(key)) throw new UsageError('unknown_setting', 'That is not a setting name.', { hint: 'name a key such as model or openai.baseUrl (see `llmgw config list`)' });
  const store = new UserStore(ctx.io);
  const removed = store.unset(key);
  if (ctx.out.json) {
    ctx.out.printJson({ key, removed, path: store.path });
    return 0;
  }
  if (removed) ctx.out.print(`removed ${key} from ${store.path}`);
  else ctx.out.info(`${key} was not set in ${store.path}; nothing to remove`);
  return 0;
}
