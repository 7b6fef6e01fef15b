// Progress for long runs: a bar on a terminal, a status line every few seconds in CI logs,
// JSON lines for machines, or nothing. Always on stderr, so stdout stays the result.
import { SingleBar, Presets } from 'cli-progress';

export type ProgressMode = 'bar' | 'lines' | 'json' | 'quiet';

export type Fields = Readonly<Record<string, string | number>>;

export interface ProgressOptions {
  readonly mode: ProgressMode;
  readonly write: (text: string) => void;
  /** Seconds between status lines in 'lines' and 'json' modes. */
  readonly everySeconds?: number;
}

export function progressMode(
  opts: { quiet?: boolean; jsonProgress?: boolean },
  isTty: boolean,
): ProgressMode {
  if (opts.quiet === true) return 'quiet';
  if (opts.jsonProgress === true) return 'json';
  return isTty ? 'bar' : 'lines';
}

function line(label: string, done: number, total: number, fields: Fields): string {
  const parts = Object.entries(fields).map(([k, v]) => `${k} ${v}`);
  const of = total > 0 ? `${done}/${total}` : `${done}`;
  return `vpdma ${label}: ${of}${parts.length > 0 ? ` | ${parts.join(' | ')}` : ''}\n`;
}

export class Progress {
  private bar: SingleBar | undefined;
  private last = 0;
  private done = 0;
  private fields: Fields = {};

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly options: ProgressOptions,
  ) {
    if (options.mode === 'bar') {
      const format = `vpdma ${label} [{bar}] {value}/{total} {status}`;
      this.bar = new SingleBar(
        { format, hideCursor: true, clearOnComplete: true, stream: process.stderr },
        Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), 0, { status: '' });
    }
    this.last = performance.now();
  }

  update(done: number, fields: Fields = {}): void {
    this.done = done;
    this.fields = fields;
    const status = Object.entries(fields)
      .map(([k, v]) => `${k} ${v}`)
      .join(' | ');
    if (this.bar !== undefined) {
      this.bar.update(done, { status });
      return;
    }
    const now = performance.now();
    if (now - this.last < (this.options.everySeconds ?? 10) * 1000) return;
    this.last = now;
    this.emit();
  }

  private emit(): void {
    if (this.options.mode === 'lines')
      this.options.write(line(this.label, this.done, this.total, this.fields));
    if (this.options.mode === 'json') {
      this.options.write(
        `${JSON.stringify({ progress: this.label, done: this.done, total: this.total, ...this.fields })}\n`,
      );
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** 1234567 → "1.2M": progress numbers people can read at a glance. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
