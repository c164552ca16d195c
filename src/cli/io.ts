import type { Readable } from 'node:stream';

/**
 * The one seam between the CLI and the outside world. `main` receives an `Io`; tests hand it
 * in-memory streams, `bin/llmgw.js` hands it the real process.
 */

export interface OutStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal (colour and spinners allowed). */
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  /** Raw stderr stream for libraries that need a real stream (ora); undefined in tests. */
  stderrStream?: NodeJS.WriteStream | undefined;
  /** What a dataset verb reads for `-` (undefined where there is none). */
  stdin?: (Readable & { isTTY?: boolean }) | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Milliseconds since the epoch. */
  now(): number;
  /** This process's id, and whether another process is alive (for lock files left by a crash). */
  pid: number;
  isAlive(pid: number): boolean;
  /** Aborted on Ctrl-C (SIGINT); commands that wait watch it and exit 130 with state saved. */
  signal: AbortSignal;
  /** Asks the person at the terminal; resolves undefined when there is no terminal to ask (CI, pipes). */
  ask?: ((question: string) => Promise<string | undefined>) | undefined;
}

/**
 * The real process as an `Io`. The only place in `src/` that reads process globals.
 * Ctrl-C keeps its default meaning (stop now) unless a command reads `io.signal`: then the
 * first Ctrl-C aborts that signal so the command can save its state and exit 130, and a
 * second one stops the process at once.
 */
export function nodeIo(): Io {
  // `llmgw … | head` closes the pipe early: that is the reader's choice, not an error to report.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  let controller: AbortController | undefined;
  const graceful = (): AbortSignal => {
    if (!controller) {
      const c = new AbortController();
      controller = c;
      let firstAt = 0;
      const onSigint = (): void => {
        if (c.signal.aborted) {
          // Some libraries (conf → atomically → when-exit) re-raise the same SIGINT at once; that is not a second press.
          if (Date.now() - firstAt < 250) return;
          process.off('SIGINT', onSigint);
          process.kill(process.pid, 'SIGINT');
          return;
        }
        firstAt = Date.now();
        c.abort(new Error('interrupted'));
      };
      process.on('SIGINT', onSigint);
    }
    return controller.signal;
  };
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrStream: process.stderr,
    // A getter: process.stdin is created only when a command reads `-`.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    now: clock(process.env.LLMGW_NOW),
    pid: process.pid,
    isAlive: (pid) => {
      try {
        process.kill(pid, 0); // signal 0: existence check, sends nothing
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    get signal() {
      return graceful();
    },
    ask: async (question) => {
      if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      rl.on('SIGINT', () => rl.close()); // Ctrl-C at the question answers "no"
      try {
        return await rl.question(question);
      } catch {
        return '';
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * The wall clock, or one that starts at `LLMGW_NOW` (an ISO time) and runs at the normal pace:
 * for rehearsing date-bound behaviour (a provider's last day for new jobs) and for tests.
 */
function clock(start: string | undefined): () => number {
  const at = start ? Date.parse(start) : NaN;
  if (Number.isNaN(at)) return () => Date.now();
  const offset = at - Date.now();
  return () => Date.now() + offset;
}
