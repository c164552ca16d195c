import { Option, type Command } from 'commander';
import { outputFormatNames } from '../../../core/dataset/convert/targets.js';
import type { LazyAction } from '../../command.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `dataset convert`: commander declarations only (the work is in convert.ts, loaded when it runs). */
export function registerConvert(dataset: Command, lazy: LazyAction): void {
  dataset
    .command('convert')
    .description('turn CSV/TSV, JSON, Alpaca, ShareGPT, HH-RLHF, prompt/completion or preference data into OpenAI JSONL (or a provider format)')
    .argument('<input>', 'the file to convert (never modified); - reads standard input; gs://bucket/object or s3://bucket/key is streamed; .gz is read transparently')
    .requiredOption('-o, --output <file>', 'where to write the JSONL (written atomically); - writes standard output')
    .addOption(new Option('--from <format>', 'skip detection: the container or the record format').choices(['csv', 'tsv', 'json', 'jsonl', 'alpaca', 'sharegpt', 'chat', 'prompt-completion', 'preference', 'hh-rlhf']))
    .option('--to <format>', `output format: ${outputFormatNames().join(', ')} (default: chat, or preference for preference pairs)`)
    .option('--model <id>', 'base model, for output formats that depend on it')
    .option('--map <field=role>', 'turn a CSV/TSV column, or a JSON key or dotted path (meta.answer, instances.0.output), into a message (system, developer, user, assistant); repeat, in turn order', collect)
    .option('--delimiter <char>', 'CSV/TSV field delimiter (default: detected; "tab" for tabs)')
    .option('--encoding <name>', 'the input\'s text encoding when it is not UTF-8: windows-1252, latin1, utf-16le, shift_jis… (default: UTF-8, strictly)')
    .addOption(new Option('--kto <mode>', 'KTO data (a true/false label per example): keep only the desirable examples (without it, KTO data is refused)').choices(['desirable-only']))
    .option('--keep-empty', 'keep examples with an empty turn (skipped by default)')
    .option('--system <text>', 'add this system prompt to every example (replaces an existing one)')
    .option('--redact', 'mask likely secrets and e-mail addresses in the output')
    .option('--fail-on-skip', 'exit 1 when any record could not be converted (for CI)')
    .option('--force', 'replace the output file if it exists')
    .option('--region <region>', "AWS Region for an s3:// input (default: bedrock.region, AWS_REGION, else the AWS profile's)")
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw dataset convert faq.csv -o faq.jsonl --map question=user --map answer=assistant --map context=system
  $ llmgw dataset convert alpaca_data.json -o train.jsonl --system "You are a helpful assistant."
  $ llmgw dataset convert qa.jsonl -o chat.jsonl --map question=user --map meta.answer=assistant
  $ llmgw dataset convert hh-rlhf/train.jsonl.gz -o dpo.jsonl
  $ llmgw dataset convert kto.json -o sft.jsonl --kto desirable-only
  $ llmgw dataset convert export.csv -o train.jsonl --encoding windows-1252 --map Question=user --map Answer=assistant
  $ cat data.jsonl | llmgw dataset convert - -o - --json > clean.jsonl

Every written line passes \`llmgw dataset validate\`; records that cannot be converted are
skipped and listed with their line (and row), and every change made to the data is counted in
the report's notes. Formats: docs/commands/dataset-prepare.md
Exit codes: 0 converted · 1 nothing converted, unreadable data (not UTF-8, broken CSV/JSON), or
skips with --fail-on-skip · 2 bad flag, missing or unreadable input, output exists (use --force),
output is the input or cannot be written, KTO data without --kto`,
    )
    .action(lazy(() => import('./convert.js')));
}
