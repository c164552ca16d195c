import { once } from 'node:events';

/**
 * Buffers output lines into ~1 MiB writes and waits for the stream to drain, so a fast reader
 * cannot pile up a whole dataset in memory behind a slow disk.
 */
export class LineWriter {
  private buffered = '';
  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Queues one line (the newline is added). */
  async write(line: string): Promise<void> {
    this.buffered += `${line}\n`;
    if (this.buffered.length >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered === '') return;
    const chunk = this.buffered;
    this.buffered = '';
    // once() also rejects when the stream errors while we wait.
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
