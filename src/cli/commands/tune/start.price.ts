/**
 * `--max-cost` against the provider's own price, where it has one (`estimateCost`, e.g.
 * Together's estimate call): asked once the files are uploaded (it prices them) and before
 * anything is created, so an estimate over the limit leaves no job behind.
 */
import { CheckFailedError } from '../../../core/errors.js';
import type { CreateJobRequest, FineTuningProvider } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';
import { usd } from './start.checks.js';

export async function checkProviderCost(ctx: CommandContext, provider: FineTuningProvider, req: Omit<CreateJobRequest, 'ledgerId'>, maxCost: number | undefined): Promise<void> {
  if (!provider.estimateCost) return;
  const price = await provider.estimateCost(req, { signal: ctx.io.signal });
  if (price.usd === null) {
    if (maxCost === undefined) return;
    throw new CheckFailedError('cost_unknown', `--max-cost ${maxCost} was given, but ${provider.displayName} gave no price for this job.`, {
      hint: 'drop --max-cost to start it anyway; the files are uploaded, so the next start does not send them again',
    });
  }
  const tokens = price.trainTokens === null ? '' : ` (${price.trainTokens.toLocaleString('en-US')} training tokens)`;
  if (maxCost !== undefined && price.usd > maxCost) {
    throw new CheckFailedError('cost_over_limit', `${provider.displayName} estimates the job at ${usd(price.usd)}${tokens}, above --max-cost ${usd(maxCost)}.`, {
      hint: 'raise --max-cost, train fewer epochs (--epochs), or trim the data; no job was created (the files are uploaded, and the next start reuses them)',
    });
  }
  ctx.out.info(`${provider.displayName} estimates the job at ${usd(price.usd)}${tokens}.`);
  if (price.allowedToProceed === false) {
    ctx.out.warn(`${provider.displayName} says this account may not start the job${price.userLimitUsd === null ? '' : ` (its limit is ${usd(price.userLimitUsd)})`}; the create will likely be refused.`);
  }
}
