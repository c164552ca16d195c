/**
 * Unfinished uploads: `.llmgw/upload-sessions.json` maps what an adapter names as one upload (the
 * exact bytes and where they go) to the provider's session for it, so a run that was killed
 * mid-upload is taken up by the next run instead of starting from byte 0. A session URI lets
 * anyone holding it write the object, so the file is readable by its owner only, and a record is
 * dropped once its upload completes, its session is gone, or it is older than sessions last. A
 * session whose process is still running on this host is that process's: another run of the same
 * upload starts its own.
 */
import { join } from 'node:path';
import type { UploadSessionStore } from '../providers/types.js';
import { readJsonDoc, type Creator, type Ledger } from './ledger.js';

interface SessionRecord {
  session: string;
  createdAt: string;
  /** The process that started it: one still running is still using it, and it is left alone. */
  creator: Creator | null;
}

interface SessionsDocument {
  version: number;
  /** Keyed by the adapter's description of the upload. */
  sessions: Record<string, SessionRecord>;
}

/** Cloud Storage keeps a resumable session for a week; an older record is of no use. */
export const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const MODE = 0o600;

const emptySessions = (): SessionsDocument => ({ version: 1, sessions: {} });

export function sessionsPath(ledger: Ledger): string {
  return join(ledger.folder, 'upload-sessions.json');
}

export function uploadSessions(ledger: Ledger): UploadSessionStore {
  const path = sessionsPath(ledger);
  const now = (): number => Date.parse(ledger.timestamp());
  const live = (r: SessionRecord): boolean => now() - Date.parse(r.createdAt) < SESSION_LIFETIME_MS;
  return {
    async get(key) {
      const r = (await readJsonDoc(path, emptySessions)).sessions[key];
      return r && live(r) && !ledger.isOtherLiveProcess(r.creator) ? r.session : undefined;
    },
    async set(key, session) {
      await ledger.mutate(
        path,
        emptySessions,
        (doc) => {
          for (const [k, r] of Object.entries(doc.sessions)) if (!live(r)) delete doc.sessions[k];
          doc.sessions[key] = { session, createdAt: ledger.timestamp(), creator: ledger.creator() };
          return true;
        },
        { mode: MODE },
      );
    },
    async delete(key) {
      const doc = await readJsonDoc(path, emptySessions);
      if (!Object.hasOwn(doc.sessions, key)) return;
      await ledger.mutate(path, emptySessions, (d) => delete d.sessions[key], { mode: MODE });
    },
  };
}
