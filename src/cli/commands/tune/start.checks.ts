/**
 * `tune start`'s local checks before anything is sent: both files through the dataset validator
 * (errors stop the start with its findings), the data kind against `--method`, and the cost
 * estimate against `--max-cost`.
 */
import { CheckFailedError, UsageError } from '../../../core/errors.js';
import type { ValidationProfile } from '../../../core/dataset/profile.js';
import { getProfile } from '../../../core/dataset/profiles/index.js';
import { validateFile, type FileReport } from '../../../core/dataset/validate.js';
import { resolveModel } from '../../../core/models/catalog.js';
import { PRICE_ENV, parsePricePerMillion, type BillingEstimate } from '../../../core/models/pricing.js';
import { createTokenPool } from '../../../core/tokens/pool.js';
import type { TrainingMethod } from '../../../core/providers/types.js';
import type { CommandContext } from '../../command.js';

/** The kind of examples each method trains on. */
const KIND_FOR_METHOD: Partial<Record<TrainingMethod, string>> = { supervised: 'chat', dpo: 'preference', reinforcement: 'chat' };

/**
 * The provider's rules apply to both files; the minimum example count only to training data.
 * Reinforcement examples end with the prompt (the model writes the answer, the grader scores it)
 * and carry the grader's reference fields next to `messages`.
 */
function profilesFor(provider: string, method: TrainingMethod): { train: ValidationProfile; validation: ValidationProfile } {
  const base = getProfile(provider);
  const train: ValidationProfile = method === 'reinforcement' ? { ...base, severity: { ...base.severity, no_assistant_message: 'off', unknown_key: 'off' } } : base;
  return { train, validation: { ...train, minExamples: 1, recommendedExamples: 1 } };
}

/** A dataset that failed validation; its JSON carries each file's summary and first issues. */
export class DatasetInvalidError extends CheckFailedError {
  constructor(readonly reports: FileReport[]) {
    const bad = reports.filter((r) => !r.valid);
    super('dataset_invalid', `${bad.map((r) => `${r.file} has ${r.summary.errors} error(s)`).join('; ')}; nothing was uploaded.`, {
      hint: `see every finding with \`llmgw dataset validate ${bad.map((r) => r.file).join(' ')}\`, fix them, then start again`,
    });
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      files: this.reports.map((r) => ({ file: r.file, valid: r.valid, summary: r.summary, issues: r.issues.filter((i) => i.severity === 'error').slice(0, 20) })),
    };
  }
}

export interface CheckedData {
  reports: FileReport[];
  /** The training file's billing estimate; null when the base model or its price is unknown. */
  estimate: BillingEstimate | null;
}

export async function checkData(ctx: CommandContext, files: { train: string | undefined; validation: string | undefined }, req: { provider: string; baseModel: string; method: TrainingMethod; epochs: number | undefined }): Promise<CheckedData> {
  const profiles = profilesFor(req.provider, req.method);
  const model = resolveModel(req.baseModel);
  if (!model) {
    // OpenAI's table is llmgw's own: an id not in it is likely new or mistyped. Other providers' models have no tokenizer here.
    const openai = req.provider === 'openai' || req.provider === 'azure';
    ctx.out.warn(openai ? `llmgw does not know the base model ${req.baseModel}: no token counts or cost estimate (the provider still checks it).` : `No token counts or cost estimate for ${req.baseModel}: no tokenizer or price table for ${req.provider}'s models ships with llmgw (the data is still checked against ${req.provider}'s rules).`);
  }
  const priceText = ctx.io.env[PRICE_ENV];
  const pricePerMillion = priceText === undefined || priceText === '' ? undefined : parsePricePerMillion(priceText, PRICE_ENV);
  const pool = model ? createTokenPool() : undefined;
  const spinner = await ctx.out.spinner('validating the data');
  const reports: FileReport[] = [];
  try {
    for (const [path, profile] of [
      [files.train, profiles.train],
      [files.validation, profiles.validation],
    ] as const) {
      if (path === undefined) continue;
      const options = { model, pool, epochs: req.epochs, pricePerMillion, profile, signal: ctx.io.signal };
      reports.push(await validateFile(path, options, { onProgress: (p) => spinner.text(`validating ${p.file} (${p.examples} examples)`) }));
    }
  } finally {
    spinner.stop();
    await pool?.close();
  }
  for (const r of reports) {
    if (r.valid) continue;
    for (const i of r.issues.filter((x) => x.severity === 'error').slice(0, 5)) {
      ctx.io.stderr.write(`${ctx.out.ec.red('error')} ${i.file}:${i.line}${i.field ? ` ${i.field}` : ''} ${i.code}: ${i.message}\n`);
    }
  }
  if (reports.some((r) => !r.valid)) throw new DatasetInvalidError(reports);
  const want = KIND_FOR_METHOD[req.method];
  for (const r of reports) {
    if (want && r.kind && r.kind !== want && !(r.kind === 'completion' && req.method === 'supervised')) {
      throw new UsageError('data_does_not_fit_method', `${r.file} holds ${r.kind} examples, but --method ${req.method} trains on ${want} examples.`, {
        hint: r.kind === 'preference' ? 'use --method dpo for preference data' : 'use --method supervised for chat data, or convert the file',
      });
    }
  }
  // Reinforcement is billed by training time: a token estimate would be wrong.
  return { reports, estimate: req.method === 'reinforcement' ? null : (reports[0]?.billing ?? null) };
}

/** Refuses a job whose estimate is above `--max-cost` (or cannot be estimated at all). */
export function checkCost(estimate: BillingEstimate | null, maxCost: number | undefined): void {
  if (maxCost === undefined) return;
  if (!estimate || estimate.estimatedCostUsd === null) {
    throw new CheckFailedError('cost_unknown', `--max-cost ${maxCost} was given, but llmgw cannot estimate this job's cost (unknown base model or price).`, {
      hint: `set the training price with ${PRICE_ENV}=<USD per 1M tokens>, or drop --max-cost`,
    });
  }
  if (estimate.estimatedCostUsd > maxCost) {
    throw new CheckFailedError('cost_over_limit', `The job would cost about ${usd(estimate.estimatedCostUsd)} (${describeEstimate(estimate)}), above --max-cost ${usd(maxCost)}.`, {
      hint: 'raise --max-cost, train fewer epochs (--epochs), or trim the data; nothing was sent',
    });
  }
}

/** On a terminal, a job estimated at this much or more is confirmed first (unless --yes). */
export const CONFIRM_ABOVE_USD = 10;

/** Asks before an expensive job when someone is at a terminal; a "no" stops the start before anything is sent. */
export async function confirmCost(ctx: CommandContext, estimate: BillingEstimate | null, yes: boolean): Promise<void> {
  const cost = estimate?.estimatedCostUsd;
  if (yes || ctx.out.json || !ctx.io.ask || cost === null || cost === undefined || cost < CONFIRM_ABOVE_USD) return;
  const answer = await ctx.io.ask(`This job is estimated at ${usd(cost)}. Start it? [y/N] `);
  if (answer === undefined || /^\s*y(es)?\s*$/i.test(answer)) return;
  throw new CheckFailedError('start_not_confirmed', `Not started: the estimated ${usd(cost)} was not confirmed.`, {
    hint: 'answer y to start it, or pass --yes (CI never asks; --max-cost caps the spend)',
  });
}

export function usd(n: number): string {
  return `$${n < 1 ? n.toFixed(4) : n.toFixed(2)}`;
}

export function describeEstimate(e: BillingEstimate): string {
  const price = e.pricePerMillion === null ? 'unknown price' : `$${e.pricePerMillion}/1M tokens${e.priceDate ? ` (price table ${e.priceDate})` : ''}`;
  return `${e.billedTokensPerEpoch.toLocaleString('en-US')} tokens × ${e.epochs} epoch(s) at ${price}`;
}
