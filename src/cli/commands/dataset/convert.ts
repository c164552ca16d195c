import { resolve } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import type { ConvertOptions } from '../../../core/dataset/convert/run.js';
import type { Container, RecordFormat } from '../../../core/dataset/convert/types.js';
import type { CommandContext } from '../../command.js';
import { printableDeep, printableJson } from '../../output/printable.js';
import { inputSettings } from '../../settings.js';
import { emailWarning, renderConvert, renderSafetyBox } from './convert.render.js';

export interface ConvertFlags {
  output: string;
  from?: Container | RecordFormat;
  to?: string;
  model?: string;
  map?: string[];
  delimiter?: string;
  encoding?: string;
  kto?: 'desirable-only';
  keepEmpty?: boolean;
  system?: string;
  redact?: boolean;
  failOnSkip?: boolean;
  force?: boolean;
  region?: string;
}

export async function run(ctx: CommandContext, [input]: string[], flags: ConvertFlags): Promise<number> {
  if (input === undefined) throw new UsageError('missing_input', 'no input file given', { hint: 'llmgw dataset convert <input> -o <output>' });
  const [{ convertFile }, { parseMaps }] = await Promise.all([import('../../../core/dataset/convert/run.js'), import('../../../core/dataset/convert/csv-map.js')]);
  const toStdout = flags.output === '-';
  const options: ConvertOptions = {
    from: flags.from,
    to: flags.to,
    model: flags.model,
    encoding: flags.encoding,
    maps: parseMaps(flags.map ?? []),
    delimiter: delimiterOf(flags.delimiter),
    kto: flags.kto,
    keepEmpty: flags.keepEmpty === true,
    system: flags.system,
    redact: flags.redact === true,
    force: flags.force === true,
    cwd: ctx.io.cwd,
    stdin: ctx.io.stdin,
    settingsFor: inputSettings(ctx, { region: flags.region }),
    stdout: toStdout ? ctx.io.stdout : undefined,
    signal: ctx.io.signal,
  };
  const spinner = await ctx.out.spinner(`converting ${input}`);
  options.onProgress = (p) => spinner.text(`converting ${input}: ${p.items} read, ${p.written} written, ${p.skipped} skipped`);
  let result;
  try {
    result = await convertFile(input, toStdout ? '-' : resolve(ctx.io.cwd, flags.output), options);
  } finally {
    spinner.stop();
  }
  // Paths as the user typed them, not resolved against the cwd.
  if (input !== '-') result.input = input;
  result.output = toStdout ? 'stdout' : flags.output;

  // With -o -, standard output carries the data: the report goes to stderr.
  const report = (text: string): void => void (toStdout ? ctx.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`) : ctx.out.print(text));
  if (ctx.out.json) {
    // Data can name columns and keys: never let them drive the terminal, on stderr as on stdout.
    if (toStdout) ctx.io.stderr.write(`${printableJson(JSON.stringify(result, null, 2))}\n`);
    else ctx.out.printJson(result);
  }
  const shown = printableDeep(result);
  if (!ctx.out.json) {
    report(renderConvert(shown, toStdout ? ctx.out.ec : ctx.out.c));
    if (result.safety.emails > 0) ctx.out.warn(emailWarning(shown));
  }
  // Likely secrets are loud on stderr even under --json and --quiet: training on them is an incident.
  const box = renderSafetyBox(shown, ctx.out.ec);
  if (box) ctx.io.stderr.write(box);
  return flags.failOnSkip && result.skipped > 0 ? 1 : 0;
}

/** `--delimiter`: one or more characters; `\t` or `tab` for a tab. */
function delimiterOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === '\\t' || value.toLowerCase() === 'tab') return '\t';
  if (value === '') throw new UsageError('invalid_delimiter', '--delimiter is empty', { hint: 'e.g. --delimiter ";" or --delimiter tab' });
  return value;
}
