import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import type { validateFile as validateFileFn } from '../../../core/dataset/validate.js';
import type { ValidationProfile } from '../../../core/dataset/profile.js';
import type { BaseModel } from '../../../core/models/catalog.js';
import type { TokenPool } from '../../../core/tokens/pool.js';
import type { Spinner } from '../../output/output.js';
import { printableDeep } from '../../output/printable.js';
import { inputSettings } from '../../settings.js';
import { renderGithub, renderText, type ValidateResult } from './validate.render.js';

export interface ValidateFlags {
  kind?: 'chat' | 'preference' | 'completion';
  model?: string;
  /** `--target`: a provider's validation profile (src/core/dataset/profiles). */
  target?: string;
  epochs?: number;
  price?: string;
  tokens: boolean;
  threads?: number;
  maxErrors?: number;
  strict?: boolean;
  format: 'text' | 'json' | 'github';
  maxLineBytes?: number;
  /** `--region`: the AWS Region an s3:// input is read from. */
  region?: string;
}

/** Files at least this big get a progress spinner on a terminal. */
const SPINNER_MIN_BYTES = 8 * 1024 * 1024;

export async function run(ctx: CommandContext, files: string[], flags: ValidateFlags): Promise<number> {
  const [{ checkReadable, checksPlainLines, validateFile, defaultValidateThreads }, { defaultModel, listModels, resolveModel }, { parsePricePerMillion, PRICE_ENV }] = await Promise.all([
    import('../../../core/dataset/validate.js'),
    import('../../../core/models/catalog.js'),
    import('../../../core/models/pricing.js'),
  ]);
  const format = ctx.globals.json ? 'json' : flags.format;
  const profiles = flags.target === undefined ? undefined : await import('../../../core/dataset/profiles/index.js');
  // A provider whose rules depend on the model (Bedrock) takes its own model ids; another target
  // (Vertex, Together…) takes an OpenAI id for tokens and cost, or its own model, checked by its rules alone.
  const ownModel = flags.model !== undefined && flags.target !== undefined && (profiles?.profileTakesModel(flags.target) === true || (resolveModel(flags.model) === undefined && !OPENAI_TARGETS.has(flags.target)));
  // Vertex: a Gemini model (gemini-2.5-flash by default) is counted approximately, and says so.
  const gemini = flags.target === 'vertex' && (flags.model === undefined || ownModel) ? await geminiModelFor(flags.model ?? DEFAULT_GEMINI) : undefined;
  const model = gemini ?? (ownModel ? undefined : flags.model === undefined ? defaultModel() : resolveModel(flags.model));
  if (!model && !ownModel) {
    throw new UsageError('unknown_model', `unknown base model "${flags.model}"`, {
      hint: `use one of ${listModels().map((m) => m.id).join(', ')} (or an undated alias such as gpt-4.1-mini); for another provider's model, name the provider too, e.g. --target bedrock or --target vertex`,
    });
  }
  // Where no tokenizer for the model ships with llmgw (Bedrock's, Gemini's…), nothing is counted rather than guessed.
  const countTokens = flags.tokens && model !== undefined;
  const { defaultThreads } = await import('../../../core/tokens/threads.js');
  // Counting tokens, the workers start now: each builds its rank table (~0.3 s) while the flags
  // and files are checked and the first lines read.
  let pool: TokenPool | undefined =
    countTokens && model && (flags.threads ?? 1) > 0 ? (await import('../../../core/tokens/pool.js')).createTokenPool({ threads: flags.threads ?? defaultThreads(), preload: model.encoding }) : undefined;
  try {
    const profile = flags.target === undefined ? undefined : profiles?.getProfile(flags.target, ownModel ? flags.model : undefined);
    const envPrice = ctx.io.env[PRICE_ENV];
    const pricePerMillion = flags.price !== undefined ? parsePricePerMillion(flags.price, '--price') : envPrice ? parsePricePerMillion(envPrice, PRICE_ENV) : undefined;
    // Every file must be readable before any work starts: a typo in a path is a usage error (exit 2).
    const sizes = await Promise.all(files.map((file) => checkReadable(file, ctx.io.cwd)));
    // Without tokens, a large run is still checked in worker threads.
    if (!pool) {
      const totalBytes = sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0);
      const threads = flags.threads ?? defaultValidateThreads(totalBytes, countTokens, defaultThreads(), checksPlainLines(countTokens, profile, flags.kind));
      if (countTokens || threads > 0) pool = (await import('../../../core/tokens/pool.js')).createTokenPool({ threads });
    }
    if (pool?.note) ctx.out.debug(pool.note);
    return await validateAll(ctx, files, flags, sizes, { model, modelId: flags.model, target: flags.target, countTokens, format, profile, pricePerMillion, pool, validateFile });
  } finally {
    await pool?.close();
  }
}

/** What `--target vertex` counts tokens for when no --model is given. */
const DEFAULT_GEMINI = 'gemini-2.5-flash';

/** The approximate token model of a Gemini id; undefined for another Vertex model id (not counted). */
async function geminiModelFor(id: string): Promise<BaseModel | undefined> {
  const { geminiTokenModel, isGeminiModel } = await import('../../../core/providers/vertex/token-model.js');
  return isGeminiModel(id) ? geminiTokenModel(id) : undefined;
}

/** Targets that fine-tune OpenAI's models, whose --model is always an OpenAI id. */
const OPENAI_TARGETS = new Set(['openai', 'azure']);

interface Run {
  /** The OpenAI base model tokens and cost are counted for; undefined for another provider's model. */
  model: BaseModel | undefined;
  modelId: string | undefined;
  target: string | undefined;
  countTokens: boolean;
  format: 'text' | 'json' | 'github';
  profile: ValidationProfile | undefined;
  pricePerMillion: number | undefined;
  pool: TokenPool | undefined;
  validateFile: typeof validateFileFn;
}

async function validateAll(ctx: CommandContext, files: string[], flags: ValidateFlags, sizes: (number | null)[], r: Run): Promise<number> {
  const { model, format, profile, pricePerMillion, pool, validateFile } = r;
  const result: ValidateResult = {
    valid: true,
    strict: flags.strict === true,
    model: model
      ? { id: model.id, source: flags.model === undefined ? 'default' : 'flag', provider: model.provider, encoding: model.encoding, maxExampleTokens: model.maxExampleTokens, tokenizer: model.tokenScale === undefined ? null : (model.tokenizer ?? null) }
      : { id: r.modelId ?? '', source: 'flag', provider: r.target ?? '', encoding: null, maxExampleTokens: null, tokenizer: null },
    tokens: r.countTokens,
    files: [],
  };
  for (const [i, file] of files.entries()) {
    const spinner = format === 'text' && (sizes[i] ?? 0) >= SPINNER_MIN_BYTES ? await ctx.out.spinner(`validating ${file}`) : undefined;
    try {
      const report = await validateFile(
        file,
        { cwd: ctx.io.cwd, stdin: ctx.io.stdin, settingsFor: inputSettings(ctx, { region: flags.region }), kind: flags.kind, model, profile, pool, tokens: r.countTokens, epochs: flags.epochs, pricePerMillion, maxLineBytes: flags.maxLineBytes, maxErrors: flags.maxErrors, strict: flags.strict },
        { onProgress: spinner ? progressTo(spinner, ctx) : undefined },
      );
      result.files.push(report);
      result.valid &&= report.valid;
    } finally {
      spinner?.stop();
    }
  }

  if (format === 'json') ctx.out.printJson(result);
  else if (format === 'github') ctx.out.print(renderGithub(printableDeep(result)));
  else ctx.out.print(renderText(printableDeep(result), ctx.out.c));
  return result.valid ? 0 : 1;
}

/** Spinner text from progress callbacks, at most ten updates a second. */
function progressTo(spinner: Spinner, ctx: CommandContext) {
  let last = 0;
  return (p: { file: string; bytesRead: number; totalBytes: number | null; examples: number }): void => {
    const now = ctx.io.now();
    if (now - last < 100) return;
    last = now;
    const pct = p.totalBytes ? ` ${Math.floor((p.bytesRead / p.totalBytes) * 100)}%` : '';
    spinner.text(`validating ${p.file}${pct} (${p.examples.toLocaleString('en-US')} examples)`);
  };
}
