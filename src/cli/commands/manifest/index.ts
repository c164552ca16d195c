import type { Command } from 'commander';
import type { LazyAction } from '../../command.js';

export function register(program: Command, lazy: LazyAction): void {
  const manifest = program.command('manifest');

  manifest
    .command('validate')
    .description('check a manifest: schema, then semantics (dangling models, weights, fallback cycles, secrets); exit 1 listing every problem')
    .argument('[path]', 'manifest to check (default: --manifest, LLMGW_MANIFEST or ./llmgw.routes.json)')
    .option('--manifest <path>', 'routing manifest (also LLMGW_MANIFEST)')
    .addHelpText('after', '\nExamples:\n  $ llmgw manifest validate\n  $ llmgw manifest validate deploy/llmgw.routes.json --json\n')
    .action(lazy(() => import('./validate.js')));
}
