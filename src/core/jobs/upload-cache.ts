/**
 * The upload cache: `.llmgw/files.json` maps (provider account, content hash) to the provider's
 * file id, so the same bytes are uploaded once per account. A cached id is only trusted after the
 * provider confirms it still has the file.
 */
import { join } from 'node:path';
import type { FineTuningProvider, UploadedFile, UploadProgress } from '../providers/types.js';
import { readJsonDoc, type Ledger } from './ledger.js';
import { uploadSessions } from './upload-sessions.js';

export interface CachedFile {
  fileId: string;
  bytes: number;
  filename: string;
  uploadedAt: string;
}

interface FilesDocument {
  version: number;
  /** Keyed by `<account> <sha256>`. */
  files: Record<string, CachedFile>;
}

const emptyFiles = (): FilesDocument => ({ version: 1, files: {} });

export function filesPath(ledger: Ledger): string {
  return join(ledger.folder, 'files.json');
}

/** Where an upload is cached: by account and bytes, and by base model where the provider's file depends on it (`uploadsByModel`). */
function cacheKey(provider: FineTuningProvider, sha256: string, baseModel: string | undefined): string {
  return `${provider.accountKey()} ${provider.capabilities.uploadsByModel && baseModel ? `${sha256} ${baseModel}` : sha256}`;
}

export interface EnsureUploadedRequest {
  /** The base model, for providers whose uploaded file depends on it (`uploadsByModel`): cached per model. */
  baseModel?: string | undefined;
  path: string;
  filename: string;
  sha256: string;
  bytes: number;
  onProgress?: (p: UploadProgress) => void;
  /** Called when the upload goes on from what an interrupted earlier run sent. */
  onResume?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

export interface EnsureUploadedResult {
  file: UploadedFile;
  /** True when an earlier upload was reused. */
  reused: boolean;
}

/** Reuses the cached upload of these bytes when the provider still has it; otherwise uploads and records it. */
export async function ensureUploaded(provider: FineTuningProvider, ledger: Ledger, req: EnsureUploadedRequest): Promise<EnsureUploadedResult> {
  const path = filesPath(ledger);
  const key = cacheKey(provider, req.sha256, req.baseModel);
  const cached = (await readJsonDoc(path, emptyFiles)).files[key];
  if (cached) {
    const still = await provider.getFile(cached.fileId, { signal: req.signal });
    if (still && still.status !== 'error' && still.status !== 'deleted') return { file: still, reused: true };
    await ledger.mutate(path, emptyFiles, (doc) => delete doc.files[key]);
  }
  const file = await provider.upload({
    path: req.path,
    filename: req.filename,
    bytes: req.bytes,
    sha256: req.sha256,
    onProgress: req.onProgress,
    onResume: req.onResume,
    signal: req.signal,
    baseModel: req.baseModel,
    // Kept beside files.json, so an upload a killed run left unfinished is taken up where it stopped.
    sessions: uploadSessions(ledger),
  });
  await ledger.mutate(path, emptyFiles, (doc) => {
    doc.files[key] = { fileId: file.id, bytes: file.bytes, filename: file.filename, uploadedAt: ledger.timestamp() };
    return true;
  });
  return { file, reused: false };
}

/** The cached upload of these bytes (for this base model, where that matters), without asking the provider (for `--dry-run`). */
export async function cachedUpload(ledger: Ledger, provider: FineTuningProvider, sha256: string, baseModel: string | undefined): Promise<CachedFile | undefined> {
  return (await readJsonDoc(filesPath(ledger), emptyFiles)).files[cacheKey(provider, sha256, baseModel)];
}
