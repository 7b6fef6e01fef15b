// Writing a .gz: what a trace writer writes goes through node:zlib's gzip into the file's
// atomic writer, in bounded memory (the compressed bytes are written as zlib makes them).
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

/** Where a trace writer writes: an AtomicWriter, or a GzipSink in front of one. */
export interface Sink {
  readonly path: string;
  write(chunk: Uint8Array | string): Promise<void>;
}

export class GzipSink implements Sink {
  private readonly gz: Gzip = createGzip();
  /** The writes of compressed bytes, in order; the first failure stays here. */
  private written: Promise<void> = Promise.resolve();

  constructor(private readonly to: Sink) {
    this.gz.on('data', (c: Buffer) => {
      this.written = this.written.then(() => this.to.write(c));
    });
  }

  get path(): string {
    return this.to.path;
  }

  async write(chunk: Uint8Array | string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.gz.write(chunk, (e) => (e === undefined || e === null ? resolve() : reject(e)));
    });
    // The compressed bytes so far reach the file before more come: memory stays bounded.
    await this.written;
  }

  /** Ends the gzip stream (its trailer) and waits for every byte to be written. */
  async finish(): Promise<void> {
    const ended = once(this.gz, 'end');
    this.gz.end();
    await ended;
    await this.written;
  }

  /** Drops the stream (the atomic writer's abort drops the file). */
  destroy(): void {
    this.gz.destroy();
    this.written.catch(() => undefined);
  }
}
