/**
 * The deployment step some providers need before a trained model serves traffic (Bedrock): start
 * it (or find the one an earlier run started: the provider derives its name and token from the
 * ledger id), then poll it to active with the watch loop's rules: one request per interval,
 * backing off while the provider is unreachable, a deadline (exit 5) and Ctrl-C (exit 130), both
 * resumable by running the same command again.
 */
import { CheckFailedError, InterruptedError, ProviderError, TimeoutError, UsageError } from '../errors.js';
import type { DeployRequest, DeployResult, FineTuningProvider, Job } from '../providers/types.js';
import { abortable, deadlineSignal, DEFAULT_INTERVAL_MS, DEFAULT_MAX_BACKOFF_MS, type WatchClock } from './watch.js';

export interface DeployWaitOptions {
  clock: WatchClock;
  intervalMs?: number | undefined;
  /** Absolute time (ms) after which waiting stops with a TimeoutError. */
  deadline?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Each state seen, the first one included. */
  onStatus?: (d: DeployResult) => void | Promise<void>;
  /** The provider failed in a way that may pass; waiting goes on after `delayMs`. */
  onRetry?: (err: ProviderError, delayMs: number) => void | Promise<void>;
  /** How to name the job in messages, e.g. its ledger id. */
  jobName: string;
  /** Flags the printed `tune deploy` command repeats (the manifest, provider settings, --register …). */
  commandFlags?: string | undefined;
}

export async function deployAndWait(provider: FineTuningProvider, job: Job, request: DeployRequest, o: DeployWaitOptions): Promise<DeployResult> {
  if (!provider.deploy || !provider.getDeployment) {
    throw new UsageError('deploy_not_supported', `${provider.displayName} serves a fine-tuned model without a deployment step.`, { hint: 'register the model directly with `llmgw models register`' });
  }
  const interval = o.intervalMs ?? DEFAULT_INTERVAL_MS;
  const again = `llmgw tune deploy ${o.jobName}${o.commandFlags ?? ''}`;
  const resume = `run \`${again}\` again: it finds this deployment instead of creating another`;
  // The deadline is hard, as in the watch: a request in flight when it passes is aborted.
  const { expiry, signal } = deadlineSignal(o.clock, o.deadline, o.signal);
  let d: DeployResult | undefined;
  const ask = async (call: Promise<DeployResult>): Promise<DeployResult> => {
    try {
      return await abortable(call, signal);
    } catch (err) {
      if (expiry?.aborted) throw new TimeoutError('deployment_timeout', `${d ? `${d.id} is still ${d.status}` : `The deployment of ${o.jobName} did not answer`}; stopped waiting.`, { hint: resume });
      if (o.signal?.aborted) throw new InterruptedError('deployment_interrupted', `Stopped waiting for ${d?.id ?? `the deployment of ${o.jobName}`} (it goes on at the provider).`, { hint: resume });
      throw err;
    }
  };
  d = await ask(provider.deploy(job, request, { signal }));
  await o.onStatus?.(d);
  let failures = 0;
  while (d.state === 'creating') {
    if (o.deadline !== undefined && o.clock.now() >= o.deadline) {
      throw new TimeoutError('deployment_timeout', `${d.id} is still ${d.status}; stopped waiting.`, { hint: resume });
    }
    const wait = failures === 0 ? interval : Math.min(DEFAULT_MAX_BACKOFF_MS, interval * 2 ** failures);
    try {
      await o.clock.sleep(o.deadline === undefined ? wait : Math.max(0, Math.min(wait, o.deadline - o.clock.now())), o.signal);
    } catch {
      throw new InterruptedError('deployment_interrupted', `Stopped waiting for ${d.id} (it goes on at the provider).`, { hint: resume });
    }
    try {
      const next = await ask(provider.getDeployment(d.id, { signal }));
      failures = 0;
      if (next.status !== d.status || next.state !== d.state) await o.onStatus?.(next);
      d = next;
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.retryable) throw err;
      failures += 1;
      await o.onRetry?.(err, Math.min(DEFAULT_MAX_BACKOFF_MS, interval * 2 ** failures));
    }
  }
  if (d.state === 'failed') {
    throw new CheckFailedError('deployment_failed', `The deployment ${d.id} failed${d.error ? `: ${d.error}` : ''}; nothing was registered.`, {
      hint: d.cleanup ? `remove it (${d.cleanup}), then ${resume.replace(/: it finds.*/, '')}` : `remove it at the provider, then run \`${again}\` again`,
    });
  }
  return d;
}
