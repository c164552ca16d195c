import type { Command } from 'commander';
import type { LazyAction } from '../../command.js';

const KEYS_HELP = `
Keys: provider, model, manifest, and per provider <provider>.apiKey (secret), .baseUrl,
.organization, .project, .apiVersion. Precedence: flag > environment > project
(.llmgwrc.json) > user config > default. See docs/configuration.md.`;

export function register(program: Command, lazy: LazyAction): void {
  const cmd = program
    .command('config')
    .addHelpText('after', KEYS_HELP);

  cmd
    .command('get')
    .description('print the effective value of a setting and where it came from (secrets masked)')
    .argument('<key>', 'setting name, e.g. provider or openai.baseUrl')
    .addHelpText('after', '\nExamples:\n  $ llmgw config get provider\n  $ llmgw config get openai.baseUrl --json')
    .action(lazy(() => import('./get.js')));

  cmd
    .command('set')
    .description('store a setting in the user config (a key is allowed, but the environment is preferred)')
    .argument('<key>', 'setting name')
    .argument('<value>', 'value to store')
    .addHelpText('after', '\nExamples:\n  $ llmgw config set model gpt-4.1-mini-2025-04-14\n  $ llmgw config set openai.baseUrl https://proxy.internal/v1')
    .action(lazy(() => import('./set.js')));

  cmd
    .command('unset')
    .description('remove a setting from the user config')
    .argument('<key>', 'setting name')
    .addHelpText('after', '\nExample:\n  $ llmgw config unset openai.baseUrl')
    .action(lazy(() => import('./unset.js')));

  cmd
    .command('list')
    .description('every setting that has a value, with its source (secrets masked)')
    .addHelpText('after', '\nExamples:\n  $ llmgw config list\n  $ llmgw config list --json')
    .action(lazy(() => import('./list.js')));

  cmd
    .command('path')
    .description('print the path of the user config file')
    .addHelpText('after', '\nExamples:\n  $ llmgw config path\n  $ cat "$(llmgw config path)"')
    .action(lazy(() => import('./path.js')));
}
