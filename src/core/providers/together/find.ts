/**
 * Finding the job a lost create made on Together: by the ledger id at the end of its suffix
 * (`mark.ts`), in the one job list Together returns (it has no paging, so the list read is the
 * whole list). A job the list shows without a suffix or output model name could carry the mark
 * unseen: if it has the same training file and base model, llmgw cannot decide (`unknown`).
 */
import type { CreatedJobMark, JobLookup } from '../types.js';
import { toJob, type TogetherJob } from './mapping.js';
import { carriesMark } from './mark.js';

export function lookUpMarked(jobs: TogetherJob[], mark: CreatedJobMark): JobLookup {
  const mine = jobs.filter((j) => carriesMark(j, mark.ledgerId));
  const [only] = mine;
  if (only && mine.length === 1) return { kind: 'found', job: toJob(only) };
  if (mine.length > 1) return { kind: 'unknown', reason: `${mine.length} jobs carry ${mark.ledgerId} in their suffix`, candidates: mine.map((j) => j.id) };
  const unreadable = jobs.filter((j) => !j.suffix && !j.model_output_name && j.training_file === mark.trainingFileId && j.model === mark.baseModel);
  if (unreadable.length > 0) {
    return { kind: 'unknown', reason: `Together listed ${unreadable.length} job(s) on the same file and base model without their suffix`, candidates: unreadable.map((j) => j.id) };
  }
  return { kind: 'absent' };
}
