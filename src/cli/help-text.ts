import { readFileSync } from 'node:fs';

/**
 * `llmgw --help` without loading commander, when that cannot change the text: the help that
 * `npm run build` stored (scripts/help-text.mjs), for output that is not a terminal and not told
 * to be coloured. Undefined when it must be rendered (a terminal's width and colours, colour
 * forced) or when no stored text exists (running from the sources).
 */
export function storedTopHelp(stdoutIsTTY: boolean, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (stdoutIsTTY || env.FORCE_COLOR !== undefined || env.CLICOLOR_FORCE !== undefined) return undefined;
  try {
    return readFileSync(new URL('./top-help.txt', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
