import { InvalidArgumentError, Option, type Command } from 'commander';
import type { LazyAction } from '../../command.js';
import { registerConvert } from './convert.command.js';
import { registerSplit } from './split.command.js';
import { registerStats } from './stats.command.js';

/** A whole number ≥ `min`, for commander option parsing (a bad value is a usage error, exit 2). */
const atLeast =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };

export function register(program: Command, lazy: LazyAction): void {
  const dataset = program.command('dataset');

  dataset
    .command('validate')
    .description('check JSONL training files line by line: format, tokens per example, cost')
    .argument('<files...>', 'JSONL files to check: paths, - for standard input, gs://bucket/object or s3://bucket/key')
    .addOption(new Option('--kind <kind>', 'check every line as this kind instead of detecting it').choices(['chat', 'preference', 'completion']))
    .option('--model <id>', "base model: an OpenAI model for token limits and cost (default: gpt-4.1-mini-2025-04-14), or with --target the provider's own (a Bedrock model applies its format rules)")
    .option('--target <provider>', "apply this provider's dataset rules on top of the format: openai, azure, together, fireworks, bedrock, vertex (default: openai)")
    .option('--epochs <n>', 'epochs for the cost estimate (default: the provider\'s rule for the file size)', atLeast(1))
    .option('--price <usd>', 'training price in USD per 1M tokens, overriding the dated table (also LLMGW_TRAINING_PRICE)')
    .option('--no-tokens', 'skip token counting and the cost estimate (fastest)')
    .option('--threads <n>', 'worker threads that check lines and count tokens (default: CPU count, up to 8; 0 = all on one thread)', atLeast(0))
    .option('--max-errors <n>', 'stop checking a file after this many errors', atLeast(1))
    .option('--strict', 'fail on warnings too')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--max-line-bytes <n>', 'skip and report lines longer than this (default: 8388608, 8 MiB)', atLeast(1))
    .option('--region <region>', "AWS Region for an s3:// input (default: bedrock.region, AWS_REGION, else the AWS profile's)")
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw dataset validate datasets/chat-valid.jsonl
  $ llmgw dataset validate data/*.jsonl --model gpt-4o-mini --epochs 3
  $ llmgw dataset validate train.jsonl --target together --no-tokens   # Together's roles and turn order
  $ llmgw dataset validate train.jsonl --target bedrock --model amazon.nova-micro-v1:0:128k
  $ llmgw dataset validate gs://my-bucket/train.jsonl --target vertex   # streamed, never copied locally
  $ llmgw dataset validate s3://my-bucket/train.jsonl --region us-east-1
  $ llmgw dataset validate train.jsonl --format github --strict     # annotations in a GitHub Actions job
  $ llmgw dataset validate big.jsonl --no-tokens --max-errors 50 --json

Exit codes: 0 valid · 1 errors found (or warnings with --strict) · 2 unreadable file or bad flag
Every rule, with a bad and a fixed example: docs/rules.md`,
    )
    .action(lazy(() => import('./validate.js')));

  registerConvert(dataset, lazy);
  registerStats(dataset, lazy);
  registerSplit(dataset, lazy);
}
