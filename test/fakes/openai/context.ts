import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeClock, FakeState, JobPlan } from './state.js';

/** The key the fake accepts unless told another. */
export const DEFAULT_API_KEY = 'sk-test-fake-0123456789abcdef';

export interface FakeOpenAIOptions {
  /** The key the fake accepts as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Answers `POST /v1/chat/completions` (see chat.ts chatRequestHandler); without it the fake serves fine-tuning only. */
  chat?: (req: IncomingMessage, res: ServerResponse) => void;
  /** Base models that can be fine-tuned (fine-tuned models made by the fake are accepted too). */
  baseModels?: string[];
  organizationId?: string;
  /** The org segment of fine-tuned model ids: `ft:<base>:<org>:<suffix>:<id>`. */
  orgSlug?: string;
  /** Largest file `POST /files` accepts (512 MB). Make it small to test the Uploads path. */
  maxFileBytes?: number;
  /** Largest Uploads part (64 MB). */
  maxPartBytes?: number;
  /** Largest Upload in total (8 GB). */
  maxUploadBytes?: number;
  /** Files and parts up to this size keep their bytes (for `/content` and assertions); larger ones keep only hashes. */
  keepContentBytes?: number;
  /** How jobs run unless `jobs.planNext` says otherwise. */
  jobPlan?: Partial<JobPlan>;
  /** Start of the fake clock, ms since the epoch. */
  startTime?: number;
  /** Advance the clock by this much before serving each request (lets a polling client see jobs move). */
  advancePerRequestMs?: number;
}

export const DEFAULT_BASE_MODELS = [
  'gpt-4.1-2025-04-14',
  'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano-2025-04-14',
  'gpt-4o-2024-08-06',
  'gpt-4o-mini-2024-07-18',
  'o4-mini-2025-04-16',
  'gpt-3.5-turbo-0125',
  'babbage-002',
  'davinci-002',
];

const MB = 1024 * 1024;

export const DEFAULT_PLAN: JobPlan = { validatingMs: 2000, queuedMs: 3000, steps: 6, stepMs: 1000, outcome: 'succeeded' };

/** Options with defaults filled in, plus the shared state every route reads and writes. */
export interface FakeContext {
  opts: Required<Omit<FakeOpenAIOptions, 'jobPlan' | 'chat'>> & { jobPlan: JobPlan };
  state: FakeState;
  clock: FakeClock;
  /** Plans queued by the test for the next created jobs. */
  nextPlans: Partial<JobPlan>[];
  /** Every list answers its first page with `has_more: true`, whatever the cursor (a broken proxy or mock). */
  brokenPaging: boolean;
}

export function withDefaults(o: FakeOpenAIOptions): FakeContext['opts'] {
  return {
    apiKey: o.apiKey ?? DEFAULT_API_KEY,
    baseModels: o.baseModels ?? DEFAULT_BASE_MODELS,
    organizationId: o.organizationId ?? 'org-fake0001',
    orgSlug: o.orgSlug ?? 'llmgw-test',
    maxFileBytes: o.maxFileBytes ?? 512 * MB,
    maxPartBytes: o.maxPartBytes ?? 64 * MB,
    maxUploadBytes: o.maxUploadBytes ?? 8 * 1024 * MB,
    keepContentBytes: o.keepContentBytes ?? 8 * MB,
    jobPlan: { ...DEFAULT_PLAN, ...o.jobPlan },
    startTime: o.startTime ?? Date.UTC(2026, 10, 24, 9, 0, 0),
    advancePerRequestMs: o.advancePerRequestMs ?? 0,
  };
}
