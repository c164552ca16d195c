import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256File } from '../../../../src/core/jobs/fingerprint.js';
import { factory, type VertexProvider } from '../../../../src/core/providers/vertex/index.js';
import type { CreatedJobMark, ProviderSettings } from '../../../../src/core/providers/types.js';
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from '../../../fakes/vertex/server.js';

export interface VertexSetup {
  fake: FakeGoogle;
  dir: string;
  keyFile: string;
  settings: ProviderSettings;
  provider(extra?: Partial<ProviderSettings> & { extra?: Record<string, string | undefined> }): VertexProvider;
  /** Writes a JSONL file of `lines` and returns what `upload` needs. */
  dataFile(name: string, lines: unknown[]): Promise<{ path: string; sha256: string; bytes: number }>;
  close(): Promise<void>;
}

export async function setupVertex(o: FakeGoogleOptions = {}): Promise<VertexSetup> {
  const fake = await startFakeGoogle({ stepMs: 40, ...o });
  const dir = await mkdtemp(join(tmpdir(), 'llmgw-vertex-'));
  const keyFile = join(dir, 'key.json');
  await fake.writeKeyFile(keyFile);
  const settings: ProviderSettings = {
    project: 'llmgw-test',
    baseUrl: fake.url,
    maxRetries: 2,
    extra: { location: 'us-central1', bucket: 'gs://llmgw-data', credentials: keyFile, storageEmulatorHost: fake.host },
  };
  return {
    fake,
    dir,
    keyFile,
    settings,
    provider: (more = {}) => factory.create({ ...settings, ...more, extra: { ...settings.extra, ...more.extra } }) as VertexProvider,
    async dataFile(name, lines) {
      const path = join(dir, name);
      await writeFile(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      return { path, ...(await sha256File(path)) };
    },
    async close() {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const chat = (q: string, a: string): unknown => ({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: q }, { role: 'assistant', content: a }] });

/** Polls `fn` until `done` holds (real time; the fake's jobs move on the clock). */
export async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The mark a ledger entry leaves for `findCreatedJob` (only the ledger id matters to Vertex). */
export const mark = (ledgerId: string): CreatedJobMark => ({ ledgerId, createdAt: new Date().toISOString(), baseModel: 'gemini-2.5-flash', trainingFileId: 'gs://llmgw-data/x.jsonl' });
