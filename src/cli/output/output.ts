import type { ChalkInstance } from 'chalk';
import type { Io } from '../io.js';
import { decideColor } from './color.js';
import { printableJson } from './printable.js';

export interface GlobalOptions {
  json: boolean;
  color: boolean;
  debug: boolean;
  quiet: boolean;
}

/** Progress indicator owned by the CLI; core code reports progress through callbacks instead. */
export interface Spinner {
  text(message: string): void;
  /** A note (stderr, as `info`) printed above the spinner, which goes on spinning below it. */
  note(message: string): void;
  succeed(message?: string): void;
  fail(message?: string): void;
  stop(): void;
}

/**
 * Everything a command prints goes through here: results to stdout, everything meant for a
 * person (progress, notes, warnings) to stderr, so `--json` output stays one clean document.
 */
export class Output {
  /** Styles for stdout text; a level-0 instance when colour is off. */
  readonly c: ChalkInstance;
  /** Styles for stderr text. */
  readonly ec: ChalkInstance;
  private readonly spinnerAllowed: boolean;

  constructor(
    readonly io: Io,
    readonly globals: GlobalOptions,
    chalk: { stdout: ChalkInstance; stderr: ChalkInstance },
  ) {
    this.c = chalk.stdout;
    this.ec = chalk.stderr;
    this.spinnerAllowed = chalk.stderr.level > 0 && !globals.quiet && !globals.json && io.stderrStream !== undefined;
  }

  get json(): boolean {
    return this.globals.json;
  }

  /** One JSON document on stdout: the machine-readable result of a command. */
  printJson(data: unknown): void {
    this.io.stdout.write(`${printableJson(JSON.stringify(data, null, 2))}\n`);
  }

  /** Human-readable result text on stdout. */
  print(text = ''): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for the person at the terminal (stderr); silenced by `--quiet`. */
  info(text: string): void {
    if (this.globals.quiet) return;
    this.io.stderr.write(`${text}\n`);
  }

  /** A warning (stderr); shown even under `--quiet`. */
  warn(text: string): void {
    this.io.stderr.write(`${this.ec.yellow('warning')} ${text}\n`);
  }

  /** Detail only shown under `--debug` (stderr). Never pass secrets here. */
  debug(text: string): void {
    if (this.globals.debug) this.io.stderr.write(`${this.ec.dim(`debug: ${text}`)}\n`);
  }

  /** A spinner on a colour terminal; elsewhere a silent stand-in with the same shape. */
  async spinner(text: string): Promise<Spinner> {
    if (!this.spinnerAllowed || !this.io.stderrStream) return { ...silentSpinner, note: (m) => this.info(m) };
    const { default: ora } = await import('ora');
    const s = ora({ text, stream: this.io.stderrStream }).start();
    return {
      text: (m) => {
        s.text = m;
      },
      note: (m) => {
        s.clear();
        this.info(m);
        s.render();
      },
      succeed: (m) => {
        s.succeed(m);
      },
      fail: (m) => {
        s.fail(m);
      },
      stop: () => {
        s.stop();
      },
    };
  }
}

const silentSpinner: Spinner = {
  text: () => undefined,
  note: () => undefined,
  succeed: () => undefined,
  fail: () => undefined,
  stop: () => undefined,
};

export async function createOutput(io: Io, globals: GlobalOptions): Promise<Output> {
  const { Chalk } = await import('chalk');
  const color = decideColor(io, globals);
  return new Output(io, globals, {
    stdout: new Chalk({ level: color.stdout ? 1 : 0 }),
    stderr: new Chalk({ level: color.stderr ? 1 : 0 }),
  });
}
