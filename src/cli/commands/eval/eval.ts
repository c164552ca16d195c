/**
 * `llmgw eval --data held.jsonl <candidate…>`: resolve the candidates, build their clients and
 * the scorers, run (cached, resumable), print the report (text or --json), and write --html.
 * Exit 0 when every request was answered, 4 when some failed after retries (the report is still
 * printed, and a re-run asks only for those).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../../core/fs/atomic.js';
import { dirname, join, resolve } from 'node:path';
import { ExitCode, isLlmgwError, UsageError, type LlmgwError } from '../../../core/errors.js';
import { ResponseCache } from '../../../core/eval/cache.js';
import { resolveCandidates } from '../../../core/eval/candidates.js';
import { evaluate, type JudgeInfo } from '../../../core/eval/evaluate.js';
import type { EvalReport } from '../../../core/eval/report.js';
import { cachedAnswer } from '../../../core/eval/run.js';
import { buildScorers, parseScorerNames, type ScorerOptions } from '../../../core/eval/scorers/index.js';
import { judgeSystemPrompt, loadRubric } from '../../../core/eval/scorers/judge.js';
import { inferenceProviders } from '../../../core/inference/registry.js';
import type { Manifest } from '../../../core/manifest/schema.js';
import { parseManifest } from '../../../core/manifest/parse.js';
import { readManifestText } from '../../../core/manifest/store.js';
import type { CommandContext } from '../../command.js';
import { displayPath, manifestPath, writeOptions } from '../models/shared.js';
import { buildCandidates, limiters, type ClientOptions } from './clients.js';
import { progressBar } from './progress.js';
import { renderReport } from './render.js';

export interface EvalOpts extends ClientOptions {
  data: string;
  score?: string[];
  regex?: string;
  tolerance?: string;
  schema?: string;
  judge?: string;
  rubric?: string;
  limit?: number;
  seed?: number;
  maxCost?: number;
  maxTokens?: number;
  temperature?: number;
  html?: string;
  save?: boolean;
  manifest?: string;
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  const text = await readManifestText(path);
  return text === undefined ? undefined : parseManifest(text, path);
}

async function readSchema(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError('schema_not_found', `Cannot read the JSON Schema ${path}: there is no such file.`, { hint: 'pass a JSON Schema file to --schema' });
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new UsageError('invalid_json_schema', `The JSON Schema ${path} is not JSON.`, { hint: 'fix the file, or drop --schema to use each example\'s response_format' });
  }
}

function checkFlags(opts: EvalOpts, scorerNames: string[]): void {
  if ((opts.via === undefined) !== (opts.gateway === undefined)) {
    throw new UsageError('via_needs_gateway', '--via and --gateway go together: the URL of a running gateway, and which gateway it is.', { hint: 'e.g. --via http://localhost:8787 --gateway portkey' });
  }
  if (opts.via !== undefined && !/^https?:\/\//.test(opts.via)) throw new UsageError('invalid_via', `--via "${opts.via}" is not an http(s) URL.`, { hint: 'e.g. --via http://localhost:4000' });
  const judging = scorerNames.includes('judge');
  if (judging && (!opts.judge || !opts.rubric)) throw new UsageError('judge_missing', 'The judge scorer needs a judge model and a rubric.', { hint: 'add --judge openai:gpt-4.1 --rubric rubric.yaml' });
  if (!judging && (opts.judge || opts.rubric)) throw new UsageError('judge_unused', '--judge and --rubric only apply with the judge scorer.', { hint: 'add --score judge (with any other scorers)' });
}

export async function run(ctx: CommandContext, args: string[], opts: EvalOpts): Promise<number> {
  const names = parseScorerNames(opts.score ?? []);
  checkFlags(opts, names);
  const mPath = manifestPath(ctx, opts);
  const manifest = await readManifest(mPath);
  const specs = resolveCandidates(args, manifest, inferenceProviders());
  const limiterFor = limiters(opts);
  const candidates = await buildCandidates(ctx, specs, opts, limiterFor);
  const cache = await ResponseCache.open(join(dirname(mPath), '.llmgw', 'eval-cache.jsonl'));
  const bar = progressBar(ctx);
  try {
    const scorerOpts: ScorerOptions = { regex: opts.regex, tolerance: opts.tolerance, schema: opts.schema ? await readSchema(resolve(ctx.io.cwd, opts.schema)) : undefined };
    let judge: JudgeInfo | undefined;
    if (opts.judge && opts.rubric) {
      const rubric = await loadRubric(resolve(ctx.io.cwd, opts.rubric), opts.rubric);
      const [judgeSpec] = resolveCandidates([opts.judge], manifest, inferenceProviders());
      const [judgeCandidate] = await buildCandidates(ctx, judgeSpec ? [judgeSpec] : [], { ...opts, gateway: opts.gateway === 'litellm' ? undefined : opts.gateway }, limiterFor);
      if (!judgeCandidate) throw new UsageError('unknown_candidate', `The judge "${opts.judge}" is not a model llmgw can ask.`, {});
      const prompt = judgeSystemPrompt(rubric);
      const info: JudgeInfo = { candidate: judgeCandidate, rubric: opts.rubric, prompt, scale: rubric.scale, tokens: { input: 0, output: 0 }, systemTokens: Math.ceil(prompt.length / 4) };
      judge = info;
      scorerOpts.judge = {
        rubric,
        model: judgeCandidate.name,
        ask: async (request, signal) => {
          const { answer, cached } = await cachedAnswer(judgeCandidate.client, request, cache, limiterFor(judgeCandidate.provider), signal);
          if (!cached) {
            info.tokens.input += answer.usage.inputTokens ?? 0;
            info.tokens.output += answer.usage.outputTokens ?? 0;
          }
          return answer;
        },
      };
    }
    const scorers = buildScorers(names, scorerOpts);
    const report = await evaluate({
      dataPath: resolve(ctx.io.cwd, opts.data),
      dataName: displayPath(ctx, resolve(ctx.io.cwd, opts.data)),
      candidates,
      scorers,
      cache,
      limiterFor,
      limit: opts.limit,
      seed: opts.seed,
      request: { temperature: opts.temperature, maxTokens: opts.maxTokens },
      maxCostUsd: opts.maxCost,
      judge,
      signal: ctx.io.signal,
      onScan: (s) => ctx.out.debug(`data: ${s.usable} examples, ${s.skippedCount} skipped, running ${s.total} (${s.sample})`),
      onEstimate: (usd, n) => ctx.out.info(`${n} request(s) to send, estimated $${usd.toFixed(4)} (--max-cost ${opts.maxCost})`),
      onProgress: (p) => bar.update(p),
      now: () => ctx.io.now(),
    });
    bar.done();
    // The report is printed whatever happens to the manifest: it was paid for.
    const failed = failedRequests(report);
    let saved: SavedEvals | null = null;
    let saveError: LlmgwError | undefined;
    if (opts.save !== false && manifest && failed === 0) {
      try {
        saved = await saveEvals(ctx, mPath, report);
      } catch (err) {
        if (!isLlmgwError(err)) throw err;
        saveError = err;
      }
    }
    await output(ctx, { ...report, saved }, opts);
    if (failed > 0 && opts.save !== false && report.candidates.some((c) => c.modelId)) ctx.out.warn('Nothing was stored in the manifest: an eval with failed requests is not a measurement to gate on.');
    if (saveError) {
      ctx.out.warn(`The eval summary was not stored in ${displayPath(ctx, mPath)}: ${saveError.message}${saveError.hint ? ` (fix: ${saveError.hint})` : ''}. Run again once it can be written (the answers are cached), or pass --no-save.`);
      return saveError.exitCode;
    }
    return failed > 0 ? ExitCode.provider : ExitCode.ok;
  } finally {
    bar.done();
    await cache.close();
  }
}

/** Where the summary went (`--json` `saved`): the manifest, its new revision and the models it is stored with. */
interface SavedEvals {
  manifest: string;
  revision: number;
  models: string[];
}

/** Stores the summary with every registered model of the run (one manifest revision, history action `eval`); null when none was in the run. */
async function saveEvals(ctx: CommandContext, path: string, report: EvalReport): Promise<SavedEvals | null> {
  const models = report.candidates.flatMap((c) => (c.modelId ? [c.modelId] : []));
  if (models.length === 0) return null;
  const { recordEvals } = await import('../../../core/eval/save.js');
  const { updateManifest } = await import('../../../core/manifest/store.js');
  try {
    const res = await updateManifest(writeOptions(ctx, path, {}), (m) => {
      const change = recordEvals(m, report);
      if (!change) throw new NothingToSave();
      return change;
    });
    ctx.out.info(`eval summary stored with ${models.join(', ')} in ${displayPath(ctx, path)}`);
    return { manifest: displayPath(ctx, path), revision: res.manifest.revision, models };
  } catch (err) {
    if (err instanceof NothingToSave) return null;
    throw err;
  }
}

/** recordEvals found nothing to store: leave the manifest as it is. */
class NothingToSave extends Error {}

function failedRequests(r: EvalReport): number {
  return r.candidates.reduce((s, c) => s + c.requests.failed, 0);
}

async function output(ctx: CommandContext, report: EvalReport & { saved: SavedEvals | null }, opts: EvalOpts): Promise<void> {
  if (ctx.out.json) ctx.out.printJson(report);
  else ctx.out.print(renderReport(ctx.out.c, report));
  const failed = failedRequests(report);
  if (failed > 0) ctx.out.warn(`${failed} request(s) failed after retries; the scores cover the answers that came back. Run the same command again to ask only for the missing ones.`);
  if (opts.html) {
    const { renderHtml } = await import('./html.js');
    const path = resolve(ctx.io.cwd, opts.html);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, renderHtml(report));
    ctx.out.info(`HTML report written to ${displayPath(ctx, path)}`);
  }
}
