import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';

/**
 * Checks the output may be written: never the input itself (same real path, symlinks followed;
 * `input` is null when it is not a local file), never an existing file unless `force`, never a
 * folder, into a folder that exists.
 */
export async function checkOutput(output: string, input: string | null, force: boolean): Promise<void> {
  const outDir = await realpath(dirname(output)).catch(() => undefined);
  if (!outDir) throw new UsageError('output_dir_missing', `cannot write ${output}: the folder ${dirname(output)} does not exist`, { hint: 'create the folder first' });
  const realOut = await realpath(output).catch(() => join(outDir, basename(output)));
  const realIn = input === null ? undefined : await realpath(input).catch(() => undefined);
  if (realOut === realIn) {
    throw new UsageError('output_is_input', `the output ${output} is the input file`, { hint: 'write to a new file, e.g. -o train.chat.jsonl' });
  }
  const outStat = await stat(realOut).catch(() => undefined);
  if (outStat?.isDirectory()) throw new UsageError('output_is_directory', `the output ${output} is a folder`, { hint: 'pass a file path to -o' });
  if (outStat && !force) throw new UsageError('output_exists', `${output} already exists`, { hint: 'pass --force to replace it, or choose another -o path' });
}
