import { InvalidArgumentError, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

const atLeast = (min: number) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
  return n;
};

/** `dataset stats`: commander declarations only (the work is in stats.ts, loaded when it runs). */
export function registerStats(dataset: Command, lazy: LazyAction): void {
  dataset
    .command('stats')
    .description('what is in a JSONL training file: tokens, longest examples, roles, system prompts, duplicates, cost')
    .argument('<file>', 'the JSONL file to describe: a path, -, gs://bucket/object or s3://bucket/key')
    .option('--model <id>', 'base model for token limits and cost (default: gpt-4.1-mini-2025-04-14)')
    .option('--epochs <n>', "epochs for the cost estimate (default: the provider's rule for the file size)", atLeast(1))
    .option('--price <usd>', 'training price in USD per 1M tokens, overriding the dated table (also LLMGW_TRAINING_PRICE)')
    .option('--top <n>', 'how many of the longest examples to list', atLeast(1), 5)
    .option('--threads <n>', 'worker threads for token counting (default: CPU count, up to 8; 0 = none)', atLeast(0))
    .option('--region <region>', "AWS Region for an s3:// input (default: bedrock.region, AWS_REGION, else the AWS profile's)")
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw dataset stats train.jsonl
  $ llmgw dataset stats train.jsonl --model gpt-4o-mini --epochs 3
  $ llmgw dataset stats train.jsonl --json | jq .tokens

Exit codes: 0 done · 2 bad flag or unreadable file`,
    )
    .action(lazy(() => import('./stats.js')));
}
