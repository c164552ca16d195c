import { Option, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

export function register(program: Command, lazy: LazyAction): void {
  program
    .command('init')
    .argument('[dir]', 'project folder (created if missing)', '.')
    .addOption(new Option('--ci <system>', 'also write CI workflows: dataset validation on pull requests, and a manual tune job').choices(['github', 'gitlab']))
    .option('--force', 'replace files that already exist (never done without it)')
    .addHelpText(
      'after',
      `
Existing files are skipped (listed as such) unless --force; .gitignore only gets the missing
.llmgw/ line. A manifest llmgw has already written (revision above 0) is never replaced,
even with --force. The CI files run the llmgw the repository pins (npm ci, then
npx --no-install llmgw): --ci adds llmgw to the devDependencies of an existing package.json
(then run npm install), or prints the install line where there is none. Exit 0 when done,
even if every file was skipped.

Examples:
  $ llmgw init
  $ llmgw init my-project --ci github
  $ llmgw init --ci gitlab --json`,
    )
    .action(lazy(() => import('./init.js')));
}
