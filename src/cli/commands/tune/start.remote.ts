/**
 * `--train gs://BUCKET/train.jsonl` (and `--validation`): data already in the provider's storage
 * is used where it is. It is neither checked locally (`llmgw dataset validate gs://…` streams it)
 * nor uploaded; its identity for "is this the same job?" is the object's name, size and creation
 * time, so a rewritten object counts as new data.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import type { FineTuningProvider } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import type { PlannedUpload } from './start.render.js';
import { schemeOf } from '../../../core/dataset/input/schemes.js';

/** The remote file as a planned upload that is already done; a dry run does not ask the provider. */
export async function remoteFile(ctx: CommandContext, provider: FineTuningProvider, uri: string, role: PlannedUpload['role'], flag: string, dryRun: boolean): Promise<PlannedUpload> {
  const scheme = schemeOf(uri) ?? '';
  if (!provider.capabilities.remoteSchemes?.includes(scheme)) {
    const takes = provider.capabilities.remoteSchemes?.map((s) => `${s}://`).join(' or ');
    throw new UsageError('remote_data_not_supported', `${provider.displayName} does not train from ${scheme}:// data (${flag} ${uri}).`, {
      hint: takes ? `give a ${takes} URI, or a local file that llmgw uploads` : 'copy it to a local file and pass its path; llmgw uploads it',
    });
  }
  const file = dryRun ? undefined : await provider.getFile(uri, { signal: ctx.io.signal });
  if (!dryRun && !file) {
    throw new UsageError('remote_file_not_found', `${flag} ${uri}: ${provider.displayName} has no such file.`, { hint: `check the URI, or give a local file to ${flag} to upload it` });
  }
  const identity = file ? `${file.id}@${file.createdAt}:${file.bytes}` : uri;
  if (!dryRun) ctx.out.info(`${uri} is used where it is (not checked here: \`llmgw dataset validate ${uri}\` checks it).`);
  return { role, path: uri, filename: basename(uri), sha256: createHash('sha256').update(identity).digest('hex'), bytes: file?.bytes ?? 0, fileId: uri, reused: true };
}
