import { InvalidArgumentError, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

const share = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError('expected a share between 0 and 1, e.g. 0.1');
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
};

/** `dataset split`: commander declarations only (the work is in split.ts, loaded when it runs). */
export function registerSplit(dataset: Command, lazy: LazyAction): void {
  dataset
    .command('split')
    .description('deterministic train/validation split by a stable hash, with dedupe and a leak check')
    .argument('<file>', 'the JSONL file to split (never modified); gs://bucket/object or s3://bucket/key is streamed (outputs default to the current folder)')
    .option('--validation <share>', 'share of examples for validation (default 0.1)', share)
    .option('--validation-count <n>', 'exactly this many validation examples (instead of --validation)', positive)
    .option('--seed <seed>', 'any text; the same file and seed always give the same split', '0')
    .option('--dedupe', 'drop exact duplicates (after whitespace normalisation) before splitting')
    .option('--allow-leak', 'write the files even when a validation example also appears in train')
    .option('--train-out <file>', 'train output (default: <name>.train.jsonl beside the input)')
    .option('--val-out <file>', 'validation output (default: <name>.val.jsonl beside the input)')
    .option('--force', 'replace existing output files')
    .option('--region <region>', "AWS Region for an s3:// input (default: bedrock.region, AWS_REGION, else the AWS profile's)")
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw dataset split train.jsonl --validation 0.1 --seed 42
  $ llmgw dataset split data.jsonl --validation-count 200 --dedupe --json
  $ llmgw dataset split data.jsonl --train-out t.jsonl --val-out v.jsonl --force

An example goes to validation when SHA-256(seed + normalised example) falls below the share (or
among the N smallest with --validation-count), so the split is the same on every machine.
Exit codes: 0 written · 1 a validation example also appears in train (nothing written; --allow-leak)
            or the file has invalid lines · 2 bad flag, missing file, outputs exist (--force)`,
    )
    .action(lazy(() => import('./split.js')));
}
