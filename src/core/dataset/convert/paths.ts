import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../../errors.js';

/**
 * Checks the input can be read and the output may be written: never the input itself (same
 * real path, symlinks followed), never an existing file unless `force`, into a folder that exists.
 */
export async function checkPaths(input: string, output: string, force: boolean): Promise<void> {
  const inStat = await stat(input).catch(() => undefined);
  if (!inStat) throw new UsageError('file_not_found', `cannot read ${input}: no such file`, { hint: 'check the path' });
  if (!inStat.isFile()) throw new UsageError('not_a_file', `${input} is not a file`, { hint: 'pass the path of a data file' });
  const realIn = await realpath(input);
  const outDir = await realpath(dirname(output)).catch(() => undefined);
  if (!outDir) throw new UsageError('output_dir_missing', `cannot write ${output}: the folder ${dirname(output)} does not exist`, { hint: 'create the folder first' });
  const realOut = await realpath(output).catch(() => join(outDir, basename(output)));
  if (realOut === realIn) {
    throw new UsageError('output_is_input', `the output ${output} is the input file`, { hint: 'write the converted data to a new file, e.g. -o train.chat.jsonl' });
  }
  const outStat = await stat(realOut).catch(() => undefined);
  if (outStat?.isDirectory()) throw new UsageError('output_is_directory', `the output ${output} is a folder`, { hint: 'pass a file path to -o' });
  if (outStat && !force) throw new UsageError('output_exists', `${output} already exists`, { hint: 'pass --force to replace it, or choose another -o path' });
}
