import { UsageError } from '../../../core/errors.js';
import type { ConvertOptions } from '../../../core/dataset/convert/run.js';
import type { Container, OutputKind, RecordFormat } from '../../../core/dataset/convert/types.js';
import type { CommandContext } from '../../command.js';
import { renderConvert, renderSafetyBox } from './convert.render.js';

export interface ConvertFlags {
  output: string;
  from?: Container | RecordFormat;
  to?: OutputKind;
  map?: string[];
  delimiter?: string;
  system?: string;
  redact?: boolean;
  failOnSkip?: boolean;
  force?: boolean;
}

export async function run(ctx: CommandContext, [input]: string[], flags: ConvertFlags): Promise<number> {
  if (input === undefined) throw new UsageError('missing_input', 'no input file given', { hint: 'llmgw dataset convert <input> -o <output>' });
  const [{ convertFile }, { parseMaps }] = await Promise.all([import('../../../core/dataset/convert/run.js'), import('../../../core/dataset/convert/csv-map.js')]);
  const { resolve } = await import('node:path');
  const options: ConvertOptions = {
    from: flags.from,
    to: flags.to,
    maps: parseMaps(flags.map ?? []),
    delimiter: delimiterOf(flags.delimiter),
    system: flags.system,
    redact: flags.redact === true,
    force: flags.force === true,
    signal: ctx.io.signal,
  };
  const spinner = await ctx.out.spinner(`converting ${input}`);
  options.onProgress = (p) => spinner.text(`converting ${input}: ${p.items} read, ${p.written} written, ${p.skipped} skipped`);
  let result;
  try {
    result = await convertFile(resolve(ctx.io.cwd, input), resolve(ctx.io.cwd, flags.output), options);
  } finally {
    spinner.stop();
  }
  // Paths as the user typed them, not resolved against the cwd.
  result.input = input;
  result.output = flags.output;

  if (ctx.out.json) ctx.out.printJson(result);
  else {
    for (const note of result.notes) ctx.out.warn(note);
    ctx.out.print(renderConvert(result, ctx.out.c));
  }
  // Likely secrets are loud on stderr even under --json and --quiet: training on them is an incident.
  const box = renderSafetyBox(result, ctx.out.ec);
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
