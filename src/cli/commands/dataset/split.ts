import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { printableDeep } from '../../output/printable.js';
import { inputSettings } from '../../settings.js';
import { renderSplit } from './split.render.js';
import { isRemoteSpec } from '../../../core/dataset/input/schemes.js';

export interface SplitFlags {
  validation?: number;
  validationCount?: number;
  seed: string;
  dedupe?: boolean;
  allowLeak?: boolean;
  trainOut?: string;
  valOut?: string;
  force?: boolean;
  region?: string;
}

export async function run(ctx: CommandContext, [file]: string[], flags: SplitFlags): Promise<number> {
  if (file === undefined) throw new UsageError('missing_input', 'no input file given', { hint: 'llmgw dataset split <file>' });
  if (flags.validation !== undefined && flags.validationCount !== undefined) {
    throw new UsageError('conflicting_flags', '--validation and --validation-count cannot be used together', { hint: 'pass a share (--validation 0.1) or a count (--validation-count 200)' });
  }
  const { splitFile } = await import('../../../core/dataset/split/run.js');
  if (file === '-' && (flags.trainOut === undefined || flags.valOut === undefined)) {
    throw new UsageError('missing_output', 'reading standard input, split needs --train-out and --val-out', { hint: 'e.g. llmgw dataset split - --train-out train.jsonl --val-out val.jsonl' });
  }
  // Beside a local input; for gs://… or s3://…, in the current folder.
  const stem = join(isRemoteSpec(file) ? '' : dirname(file), basename(file).replace(/\.gz$/i, '').replace(/\.(jsonl|json)$/i, ''));
  const trainOut = flags.trainOut ?? `${stem}.train.jsonl`;
  const valOut = flags.valOut ?? `${stem}.val.jsonl`;
  const result = await splitFile(file, {
    cwd: ctx.io.cwd,
    stdin: ctx.io.stdin,
    settingsFor: inputSettings(ctx, { region: flags.region }),
    trainOut: resolve(ctx.io.cwd, trainOut),
    valOut: resolve(ctx.io.cwd, valOut),
    fraction: flags.validation,
    count: flags.validationCount,
    seed: flags.seed,
    dedupe: flags.dedupe === true,
    allowLeak: flags.allowLeak === true,
    force: flags.force === true,
    signal: ctx.io.signal,
  });
  // Paths as the user typed them.
  if (file !== '-') result.input = file;
  result.train.path = trainOut;
  result.validation.path = valOut;
  if (ctx.out.json) ctx.out.printJson(result);
  else ctx.out.print(renderSplit(printableDeep(result), ctx.out.c));
  return result.written ? 0 : 1;
}

