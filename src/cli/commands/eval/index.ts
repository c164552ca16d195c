import { InvalidArgumentError, Option, type Command } from 'commander';
import type { LazyAction } from '../../command.js';

const whole = (min: number) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
  return n;
};
const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
};
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `llmgw eval --data held.jsonl <candidate…>`: a command without verbs. */
export function register(program: Command, lazy: LazyAction): void {
  program
    .command('eval')
    .argument('<candidates...>', 'aliases (each of their targets), registered model ids, or provider:model (e.g. openai:gpt-4.1-mini, openrouter:meta-llama/llama-3.1-8b-instruct)')
    .requiredOption('--data <file>', 'held-out chat JSONL: the last assistant turn of each line is the reference')
    .option('--score <names>', 'scorers, comma-separated or repeated: exact, normalized, contains, regex, json, json-schema, tool-call, numeric, judge (default: normalized)', collect)
    .option('--regex <pattern>', 'pattern for the regex scorer')
    .option('--tolerance <t>', 'numeric scorer tolerance: absolute (0.01) or relative (2%)')
    .option('--schema <file>', 'JSON Schema for the json-schema scorer (default: each example\'s response_format)')
    .option('--judge <candidate>', 'judge model for the judge scorer, e.g. openai:gpt-4.1')
    .option('--rubric <file>', 'judge rubric (YAML: criteria, scale pass-fail or 1-5)')
    .option('--limit <n>', 'run N examples: the first N, or with --seed a seeded sample', whole(1))
    .option('--seed <n>', 'seed for the --limit sample and the bootstrap', whole(0))
    .option('--concurrency <n>', 'requests in flight per provider (default 8)', whole(1))
    .option('--rate <n>', 'requests started per second per provider (default: no limit)', num)
    .option('--max-cost <usd>', 'refuse to start when the requests not yet cached would cost more (estimated from token counts)', num)
    .option('--max-tokens <n>', 'answer length limit sent with each request', whole(1))
    .option('--temperature <t>', 'sampling temperature sent with each request (default: the model\'s)', num)
    .option('--price <name=in,out>', 'USD per 1M input,output tokens for a candidate or model (overrides the dated table)', collect)
    .option('--via <url>', 'send every request through a running gateway at this URL')
    .addOption(new Option('--gateway <kind>', 'the gateway at --via').choices(['portkey', 'litellm']))
    .option('--html <file>', 'also write a self-contained HTML report')
    .option('--no-stream', 'ask for whole answers (no time to first token)')
    .option('--no-save', 'do not store the summary with registered models in the manifest')
    .option('--max-retries <n>', 'retries per request (the SDK backs off and honours Retry-After)', whole(0))
    .option('--request-timeout <seconds>', 'time limit per request, in seconds', num)
    .option('--manifest <path>', 'routing manifest with the aliases and models; the cache is .llmgw/ beside it (also LLMGW_MANIFEST)')
    .description('run candidates side by side on held-out chat examples: scores with 95% intervals, paired wins/losses, latency and cost; answers cached and resumable')
    .addHelpText(
      'after',
      `
Examples:
  $ llmgw eval --data val.jsonl support-bot openai:gpt-4.1-mini
  $ llmgw eval --data val.jsonl support-bot --score tool-call,json --max-cost 5
  $ llmgw eval --data val.jsonl ft:gpt-4.1-mini-2025-04-14:acme:support:Qw3rTy12 vertex:gemini-2.5-flash --score judge --judge openai:gpt-4.1 --rubric rubric.yaml
  $ llmgw eval --data val.jsonl support-bot --via http://localhost:8787 --gateway portkey --html report.html
  $ llmgw eval --data val.jsonl support-bot --limit 200 --seed 7 --json

Exit codes: 0 done · 2 bad flag, unknown candidate, bad data or rubric · 3 missing or rejected key
            4 requests failed after retries (report still printed) · 1 --max-cost exceeded · 130 interrupted (re-run resumes)
Docs: docs/commands/eval.md`,
    )
    .action(lazy(() => import('./eval.js')));
}
