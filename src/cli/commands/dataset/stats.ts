import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { printableDeep } from '../../output/printable.js';
import { inputSettings } from '../../settings.js';
import { renderStats } from './stats.render.js';

export interface StatsFlags {
  model?: string;
  epochs?: number;
  price?: string;
  top: number;
  threads?: number;
  region?: string;
}

export async function run(ctx: CommandContext, [file]: string[], flags: StatsFlags): Promise<number> {
  if (file === undefined) throw new UsageError('missing_input', 'no input file given', { hint: 'llmgw dataset stats <file>' });
  const [{ openInput }, { computeStats }, { defaultModel, listModels, resolveModel }, { parsePricePerMillion, PRICE_ENV }, { createTokenPool }] = await Promise.all([
    import('../../../core/dataset/input/open.js'),
    import('../../../core/dataset/stats/compute.js'),
    import('../../../core/models/catalog.js'),
    import('../../../core/models/pricing.js'),
    import('../../../core/tokens/pool.js'),
  ]);
  const model = flags.model === undefined ? defaultModel() : resolveModel(flags.model);
  if (!model) {
    throw new UsageError('unknown_model', `unknown base model "${flags.model}"`, { hint: `use one of ${listModels().map((m) => m.id).join(', ')}` });
  }
  const envPrice = ctx.io.env[PRICE_ENV];
  const pricePerMillion = flags.price !== undefined ? parsePricePerMillion(flags.price, '--price') : envPrice ? parsePricePerMillion(envPrice, PRICE_ENV) : undefined;
  const input = await openInput(file, { cwd: ctx.io.cwd, signal: ctx.io.signal, stdin: ctx.io.stdin, settingsFor: inputSettings(ctx, { region: flags.region }) });
  // The workers build their rank table as they start, while the file is opened and first read.
  const pool = createTokenPool({ threads: flags.threads, preload: model.encoding });
  if (pool.note) ctx.out.debug(pool.note);
  const spinner = await ctx.out.spinner(`reading ${file}`);
  let report;
  try {
    report = await computeStats(input, {
      model,
      pool,
      epochs: flags.epochs,
      pricePerMillion,
      top: flags.top,
      signal: ctx.io.signal,
      onProgress: (p) => spinner.text(`reading ${file}: ${p.examples} examples`),
    });
  } finally {
    spinner.stop();
    await Promise.all([pool.close(), input.close()]);
  }
  if (ctx.out.json) ctx.out.printJson(report);
  else ctx.out.print(renderStats(printableDeep(report), ctx.out.c, ctx.io.stdout.isTTY === true));
  return 0;
}
