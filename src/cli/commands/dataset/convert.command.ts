import { Option, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `dataset convert`: commander declarations only (the work is in convert.ts, loaded when it runs). */
export function registerConvert(dataset: Command, lazy: LazyAction): void {
  dataset
    .command('convert')
    .description('turn CSV/TSV, JSON arrays, Alpaca, ShareGPT, prompt/completion or preference data into OpenAI JSONL')
    .argument('<input>', 'the file to convert (never modified)')
    .requiredOption('-o, --output <file>', 'where to write the JSONL (written atomically)')
    .addOption(new Option('--from <format>', 'skip detection: the container or the record format').choices(['csv', 'tsv', 'json', 'jsonl', 'alpaca', 'sharegpt', 'chat', 'prompt-completion', 'preference']))
    .addOption(new Option('--to <kind>', 'output format (default: chat, or preference for preference pairs)').choices(['chat', 'preference']))
    .option('--map <column=role>', 'CSV/TSV: turn a column into a message (system, developer, user, assistant); repeat, in turn order', collect)
    .option('--delimiter <char>', 'CSV/TSV field delimiter (default: detected; "tab" for tabs)')
    .option('--system <text>', 'add this system prompt to every example (replaces an existing one)')
    .option('--redact', 'mask likely secrets and e-mail addresses in the output')
    .option('--fail-on-skip', 'exit 1 when any record could not be converted (for CI)')
    .option('--force', 'replace the output file if it exists')
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw dataset convert faq.csv -o faq.jsonl --map question=user --map answer=assistant --map context=system
  $ llmgw dataset convert alpaca_data.json -o train.jsonl --system "You are a helpful assistant."
  $ llmgw dataset convert sharegpt.json -o chat.jsonl --redact --fail-on-skip --json
  $ llmgw dataset convert pairs.jsonl -o dpo.jsonl --to preference

Every written line passes \`llmgw dataset validate\`; records that cannot be converted are
skipped and listed with their line (and row). Formats: docs/commands/dataset-prepare.md
Exit codes: 0 converted · 1 nothing converted, or skips with --fail-on-skip · 2 bad flag, missing
input, output exists (use --force) or output is the input`,
    )
    .action(lazy(() => import('./convert.js')));
}
