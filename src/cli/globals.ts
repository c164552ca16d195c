import type { GlobalOptions } from './output/output.js';

/** Reads the global flags from commander's merged options and the environment. */
export function readGlobals(opts: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  return {
    json: opts.json === true,
    color: opts.color !== false,
    debug: opts.debug === true || isTruthy(env.LLMGW_DEBUG),
    quiet: opts.quiet === true,
  };
}

/**
 * The same flags read straight from argv, for the error path: when parsing itself failed we
 * still need to know whether to print JSON or a stack.
 */
export function globalsFromArgv(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): GlobalOptions {
  const until = argv.indexOf('--');
  const flags = until === -1 ? argv : argv.slice(0, until);
  return {
    json: flags.includes('--json'),
    color: !flags.includes('--no-color'),
    debug: flags.includes('--debug') || isTruthy(env.LLMGW_DEBUG),
    quiet: flags.includes('--quiet') || flags.includes('-q'),
  };
}

function isTruthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
