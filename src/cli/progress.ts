// Progress for long runs: a bar on a terminal, a status line every few seconds in CI logs,
// JSON lines for machines, or nothing. Always on stderr, so stdout stays the result.
import { SingleBar, Presets } from 'cli-progress';

export type ProgressMode = 'bar' | 'lines' | 'json' | 'quiet';

/** Numbers raw: compacted for people ("1.2M"), exact in JSON lines; strings as they are. */
export type Fields = Readonly<Record<string, number | string>>;

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
  // --json-progress with --quiet: the JSON lines (for the machine) and no human progress.
  if (opts.jsonProgress === true) return 'json';
  if (opts.quiet === true) return 'quiet';
  return isTty ? 'bar' : 'lines';
}

function human(fields: Fields): string[] {
  return Object.entries(fields).map(([k, v]) => `${k} ${typeof v === 'number' ? compact(v) : v}`);
}

function line(label: string, done: number, total: number, fields: Fields): string {
  const parts = human(fields);
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
    const status = human(fields).join(' | ');
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
      const total = this.total > 0 ? { total: this.total } : {}; // none for a --time budget
      this.options.write(
        `${JSON.stringify({ progress: this.label, done: this.done, ...total, ...this.fields })}\n`,
      );
    }
  }

  /** Ends the display; JSON lines end with the final state, however short the run. */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    if (this.options.mode === 'json' && !this.stopped) this.emit();
    this.stopped = true;
  }

  private stopped = false;
}

/** 1234567 → "1.2M": progress numbers people can read at a glance. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
