import type { Io } from '../../src/cli/io.js';

export interface MemoryIo extends Io {
  out(): string;
  err(): string;
}

/** An in-memory `Io` for running `main()` in-process. Not a TTY unless asked. */
export function memoryIo(opts: { env?: Record<string, string>; cwd?: string; tty?: boolean; now?: () => number; signal?: AbortSignal; stdin?: MemoryIo['stdin'] } = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: opts.tty ?? false },
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    now: opts.now ?? (() => Date.now()),
    pid: process.pid,
    isAlive: () => true,
    signal: opts.signal ?? new AbortController().signal,
    stdin: opts.stdin,
    out: () => out,
    err: () => err,
  };
}
