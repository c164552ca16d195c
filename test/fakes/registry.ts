/**
 * Every fake provider `npm run fake -- <name>` can start as a process of its own (scripts/fake.mjs).
 * A fake joins with one line here and a `run.ts` in its folder that starts it on the real clock and
 * says which environment variables point llmgw at it.
 */
import type { FaultQueue } from './shared/faults.js';
import type { RecordedRequest } from './shared/http.js';

export interface RunningFake {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** What to export so llmgw (and the provider's own SDK) talk to this fake. */
  env: Record<string, string>;
  /** The `--provider` value that goes with it. */
  provider: string;
  /** A base model the fake tunes, for the examples it prints. */
  model: string;
  /** Flags `tune start` needs against this fake beyond the environment (a bucket, a role), for the example it prints. */
  startFlags?: string;
  /** The fault `match` of the create-job call, e.g. `POST /v1/fine-tunes`. */
  createMatch: string;
  faults: FaultQueue;
  requests: RecordedRequest[];
  /** Makes the next created job fail the way this provider reports a failed job. */
  failNextJob(): void;
  close(): Promise<void>;
}

export interface FakeModule {
  run(): Promise<RunningFake>;
}

export const FAKES: Record<string, () => Promise<FakeModule>> = {
  openai: () => import('./openai/run.js'),
  azure: () => import('./azure/run.js'),
  together: () => import('./together/run.js'),
  fireworks: () => import('./fireworks/run.js'),
  bedrock: () => import('./bedrock/run.js'),
  vertex: () => import('./vertex/run.js'),
};
