/** Text for `llmgw init`; pure functions of its result. */
import type { ChalkInstance } from 'chalk';
import type { InitResult } from './init.js';

/**
 * What to run next, from the folder the user is in. Every llmgw command here exists (tested).
 * `install` is the npm command that pins llmgw for the CI files (`init --ci`), when one is needed.
 */
export function nextSteps(relDir: string, install?: string): string[] {
  const steps = relDir === '' ? [] : [`cd ${relDir}`];
  if (install) steps.push(install);
  return [
    ...steps,
    'llmgw dataset validate datasets/sample.jsonl',
    'llmgw manifest validate',
    'llmgw tune start --model gpt-4.1-mini-2025-04-14 --train datasets/sample.jsonl --dry-run',
  ];
}

export function renderInit(r: InitResult, c: ChalkInstance): string {
  const style = { created: c.green, replaced: c.yellow, updated: c.green, skipped: c.dim, unchanged: c.dim } as const;
  const width = Math.max(...r.files.map((f) => f.path.length));
  const lines = r.files.map((f) => `  ${style[f.action](f.action.padEnd(9))} ${f.note ? `${f.path.padEnd(width)}  ${c.dim(`(${f.note})`)}` : f.path}`);
  return [`llmgw project in ${r.dir}`, ...lines, '', 'Next:', ...r.next.map((s) => `  $ ${s}`)].join('\n');
}
