export { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from './server.js';
export { fineTuningClosed, insufficientQuota, failsValidation, failsWhileRunning } from './presets.js';
export { DEFAULT_BASE_MODELS } from './context.js';
export type { JobPlan, StoredJob } from './state.js';
export type { FaultSpec } from '../shared/faults.js';
