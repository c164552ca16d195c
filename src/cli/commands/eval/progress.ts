/** A progress bar on stderr for a terminal (none under --json, --quiet or a pipe), redrawn at most ten times a second. */
import type { Progress } from '../../../core/eval/run.js';
import type { CommandContext } from '../../command.js';

export interface Bar {
  update(p: Progress): void;
  done(): void;
}

const WIDTH = 24;

export function progressBar(ctx: CommandContext): Bar {
  const stderr = ctx.io.stderr;
  if (!stderr.isTTY || ctx.out.json || ctx.globals.quiet) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  const c = ctx.out.ec;
  const draw = (p: Progress): void => {
    const filled = p.total ? Math.round((p.done / p.total) * WIDTH) : 0;
    const bar = `${c.cyan('█'.repeat(filled))}${c.dim('░'.repeat(WIDTH - filled))}`;
    const failed = p.failed ? c.red(` · ${p.failed} failed`) : '';
    stderr.write(`\r${bar} ${p.done}/${p.total} answers · ${p.fromCache} cached · ${p.sent} sent${failed}\x1b[K`);
    drawn = true;
  };
  return {
    update(p) {
      const now = ctx.io.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      draw(p);
    },
    done() {
      if (drawn) stderr.write('\r\x1b[K');
    },
  };
}
