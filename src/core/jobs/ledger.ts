/**
 * The job ledger: `.llmgw/jobs.json` beside the manifest. It records every job this project asked
 * a provider for, written *before* the create call (state `creating`) and updated afterwards, so
 * a crash or a dropped connection never loses track of a job that may exist at the provider.
 *
 * One file for all jobs rather than one file per job: a project submits tens of jobs, not
 * thousands, and a single document keeps `tune list`, the fingerprint check and the
 * "append if no duplicate" step one read under one lock. Every write is a read-modify-write
 * under `withLock` with an atomic rename, so concurrent `tune start` processes never lose an entry.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { LockTimeoutError, withLock, type LockOwner } from '../fs/lock.js';
import type { Hyperparameters, JobError, JobStatus, TrainingMethod } from '../providers/types.js';

export const LEDGER_DIR = '.llmgw';
const SCHEMA_VERSION = 1;

/** `creating`: written, create call not answered yet; `created`: the provider has it; `create_failed`: the provider refused it. */
export type LedgerState = 'creating' | 'created' | 'create_failed';

export interface LedgerFileRef {
  /** Relative to the manifest's folder (entries of older versions hold absolute paths; both are read). */
  path: string;
  sha256: string;
  bytes: number;
  fileId: string | null;
}

export interface LedgerJob {
  ledgerId: string;
  provider: string;
  account: string;
  fingerprint: string;
  state: LedgerState;
  providerJobId: string | null;
  /** Last status seen at the provider. */
  status: JobStatus | null;
  baseModel: string;
  method: TrainingMethod;
  hyperparameters: Hyperparameters;
  suffix: string | null;
  seed: number | null;
  metadata: Record<string, string>;
  training: LedgerFileRef;
  validation: LedgerFileRef | null;
  /** Reinforcement: the grader file the job was started with. */
  grader?: { path: string; sha256: string } | null | undefined;
  fineTunedModel: string | null;
  error: JobError | null;
  /** Id of the newest event already shown by `tune watch`, so a resumed watch never repeats one. */
  eventCursor: string | null;
  /**
   * The process sending the create call while the entry is `creating`; null once no process is
   * (the call ended, however it ended). Absent in entries written by older versions.
   */
  creator?: Creator | null | undefined;
  createdAt: string;
  updatedAt: string;
}

interface JobsDocument {
  version: number;
  jobs: LedgerJob[];
}

export interface LedgerOptions {
  /** Folder holding the manifest; the ledger lives in `<dir>/.llmgw/`. */
  dir: string;
  /** The lock's owner (the CLI passes its Io), so a lock left by a crashed process is taken over. */
  owner?: LockOwner | undefined;
  now?: () => number;
}

/** Which process is creating an entry's job. */
export interface Creator {
  pid: number;
  host: string;
}

/** An entry still `creating` whose creator is gone is resolved at once; one with no known creator waits this long. */
export const CREATING_GRACE_MS = 10 * 60_000;

export function newLedgerId(): string {
  return `lj_${randomBytes(10).toString('hex')}`;
}

/** What a new request fixes; the rest of an entry follows the provider. */
export type LedgerRequest = Pick<LedgerJob, 'provider' | 'account' | 'fingerprint' | 'baseModel' | 'method' | 'hyperparameters' | 'suffix' | 'seed' | 'metadata' | 'training' | 'validation' | 'grader'>;

/** A new entry in state `creating`, to be appended before the create call. */
export function creatingEntry(request: LedgerRequest, now: string, creator: Creator | null = null): LedgerJob {
  return { ledgerId: newLedgerId(), state: 'creating', providerJobId: null, status: null, fineTunedModel: null, error: null, eventCursor: null, creator, createdAt: now, updatedAt: now, ...request };
}

export class Ledger {
  /** The manifest's folder; paths in entries are relative to it. */
  readonly dir: string;
  readonly folder: string;
  readonly jobsPath: string;
  private readonly now: () => number;

  constructor(private readonly options: LedgerOptions) {
    this.dir = options.dir;
    this.folder = join(options.dir, LEDGER_DIR);
    this.jobsPath = join(this.folder, 'jobs.json');
    this.now = options.now ?? Date.now;
  }

  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** A path as an entry stores it: relative to the manifest's folder, with `/`, so `.llmgw/` can be committed. */
  storedPath(path: string): string {
    return relative(this.dir, resolve(this.dir, path)).split(sep).join('/') || '.';
  }

  /** The file an entry's path names (relative to the manifest's folder, or absolute as older versions wrote it). */
  filePath(stored: string): string {
    return isAbsolute(stored) ? stored : resolve(this.dir, stored);
  }

  /** This process, as the creator of an entry (null without an owner, e.g. in library use). */
  creator(): Creator | null {
    return this.options.owner ? { pid: this.options.owner.pid, host: hostname() } : null;
  }

  /** Whether `c` is another process on this host that is still running (false when that cannot be told). */
  isOtherLiveProcess(c: Creator | null | undefined): boolean {
    const owner = this.options.owner;
    if (!c || !owner || c.host !== hostname()) return false;
    return c.pid !== owner.pid && owner.isAlive(c.pid);
  }

  /**
   * Whether another process is still sending this entry's create call: alive on this host, or
   * (on another host, or for entries of older versions) written less than the grace period ago.
   */
  isBeingCreated(entry: LedgerJob): boolean {
    if (entry.state !== 'creating' || entry.creator === null) return false;
    const recent = this.now() - Date.parse(entry.updatedAt) < CREATING_GRACE_MS;
    const c = entry.creator;
    if (c === undefined || c.host !== hostname() || !this.options.owner) return recent;
    return this.isOtherLiveProcess(c);
  }

  async jobs(): Promise<LedgerJob[]> {
    return (await readJsonDoc<JobsDocument>(this.jobsPath, emptyJobs)).jobs;
  }

  /** A job by ledger id or provider job id. */
  async find(id: string): Promise<LedgerJob | undefined> {
    return (await this.jobs()).find((j) => j.ledgerId === id || j.providerJobId === id);
  }

  /**
   * Appends `job` unless `conflict` picks an existing entry (under the same lock, so two processes
   * cannot both append the same request). Returns the entry that is in the ledger afterwards.
   */
  async append(job: LedgerJob, conflict?: (jobs: LedgerJob[]) => LedgerJob | undefined): Promise<{ job: LedgerJob; appended: boolean }> {
    let result: { job: LedgerJob; appended: boolean } = { job, appended: true };
    await this.mutate(this.jobsPath, emptyJobs, (doc) => {
      const existing = conflict?.(doc.jobs);
      if (existing) {
        result = { job: existing, appended: false };
        return false;
      }
      doc.jobs.push(job);
      return true;
    });
    return result;
  }

  /** Applies `patch` to one entry; returns the updated entry (undefined when it is not there). */
  async update(ledgerId: string, patch: Partial<Omit<LedgerJob, 'ledgerId'>>): Promise<LedgerJob | undefined> {
    let updated: LedgerJob | undefined;
    await this.mutate(this.jobsPath, emptyJobs, (doc) => {
      const i = doc.jobs.findIndex((j) => j.ledgerId === ledgerId);
      const current = doc.jobs[i];
      if (!current) return false;
      updated = { ...current, ...patch, updatedAt: this.timestamp() };
      doc.jobs[i] = updated;
      return true;
    });
    return updated;
  }

  /** Read-modify-write of one ledger document under its lock; `change` returns false to skip the write. `mode`: of the file written. */
  async mutate<T>(path: string, empty: () => T, change: (doc: T) => boolean, options: { mode?: number } = {}): Promise<void> {
    try {
      await mkdir(dirname(path), { recursive: true });
      await withLock(
        path,
        async () => {
          const doc = await readJsonDoc(path, empty);
          if (change(doc)) await writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`, options);
        },
        { owner: this.options.owner },
      );
    } catch (err) {
      throw asLedgerError(err, path);
    }
  }
}

/** The file system refusing the ledger is the user's environment, not a bug: say which file and why. */
function asLedgerError(err: unknown, path: string): unknown {
  if (err instanceof LockTimeoutError) {
    return new ConfigError('ledger_locked', `The ledger ${path} stayed locked by another llmgw process (${err.holder}).`, {
      hint: `wait for it to finish and try again; if no llmgw is running, delete ${err.lockPath}`,
      cause: err,
    });
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC' || code === 'ENOTDIR') {
    return new ConfigError('ledger_unwritable', `Cannot write the ledger ${path} (${code}).`, {
      hint: 'make the folder beside the manifest writable, or point --manifest / LLMGW_MANIFEST at a writable place',
      cause: err,
    });
  }
  return err;
}

function emptyJobs(): JobsDocument {
  return { version: SCHEMA_VERSION, jobs: [] };
}

/** Reads a ledger document; a missing file is an empty one. A corrupt file is an error, never silently reset. */
export async function readJsonDoc<T>(path: string, empty: () => T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
    throw err;
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ConfigError('ledger_corrupt', `The ledger file ${path} is not valid JSON, so llmgw cannot tell which jobs it already started.`, {
      hint: 'restore it from a backup or fix it by hand (it is plain JSON); delete it only if no job is running',
      cause: err,
    });
  }
}
