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
  /** A time budget (--time): the bar measures the time spent against it, not `done`. */
  readonly timeMs?: number | undefined;
  /** What `done` counts, named beside it when the bar measures time (default "done"). */
  readonly unit?: string;
  /**
   * What a status line says while nothing is done yet (`starting`: a campaign's workers still
   * loading the corpus), instead of a line of zero counts and rates. Lines mode only.
   */
  readonly idle?: string;
  /** When the run began (performance.now()), if before this display: a later phase's. */
  readonly startedAt?: number;
}

/** What the bar shows: set up once, with the values of each update. */
export interface BarLayout {
  readonly format: string;
  /** The bar's total: items, or milliseconds for a time budget. */
  readonly total: number;
  /** The bar's value and the format's other fields after `done` items in `elapsedMs`. */
  frame(
    done: number,
    elapsedMs: number,
    status: string,
    fraction?: number,
  ): { value: number; payload: Record<string, string> };
}

/**
 * A count against its total (`[███░░] 28/3000`); for a time budget, the time spent against it
 * with the count beside it (`[███░░] 12s/30s | 4476 cases`: a count has no total then); with
 * neither, the count alone.
 */
export function barLayout(
  label: string,
  total: number,
  o: { timeMs?: number | undefined; unit?: string } = {},
): BarLayout {
  const timeMs = o.timeMs;
  if (timeMs !== undefined && timeMs > 0 && total <= 0) {
    const budget = clock(timeMs);
    return {
      format: `vpdma ${label} [{bar}] {elapsed}/{budget} | {done} ${o.unit ?? 'done'} {status}`,
      total: timeMs,
      frame: (done, elapsedMs, status) => ({
        value: Math.min(Math.max(elapsedMs, 0), timeMs),
        payload: {
          elapsed: clock(Math.min(elapsedMs, timeMs)),
          budget,
          done: String(done),
          status: status === '' ? '' : `| ${status}`,
        },
      }),
    };
  }
  if (total > 0)
    return {
      // The bar fills by `fraction` of the work when known (bytes read), else by the count.
      format: `vpdma ${label} [{bar}] {done}/{total} {status}`,
      total,
      frame: (done, _elapsedMs, status, fraction) => ({
        value: fraction === undefined ? done : Math.min(fraction, 1) * total,
        payload: { done: String(done), status },
      }),
    };
  return {
    format: `vpdma ${label} {done} {status}`,
    total: 1,
    frame: (done, _elapsedMs, status) => ({ value: 0, payload: { done: String(done), status } }),
  };
}

/** 12_400 → "12s", 754_000 → "12m34s", 7_380_000 → "2h03m". */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
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
  return Object.entries(fields).map(([k, v]) =>
    k === 'stopping' ? `stopping: ${v}` : `${k} ${typeof v === 'number' ? compact(v) : v}`,
  );
}

function line(label: string, done: number, total: number, fields: Fields): string {
  const parts = human(fields);
  const of = total > 0 ? `${done}/${total}` : `${done}`;
  return `vpdma ${label}: ${of}${parts.length > 0 ? ` | ${parts.join(' | ')}` : ''}\n`;
}

export class Progress {
  private bar: SingleBar | undefined;
  private layout: BarLayout | undefined;
  private started = 0;
  private last = 0;
  private done = 0;
  private fields: Fields = {};

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly options: ProgressOptions,
  ) {
    this.started = options.startedAt ?? performance.now();
    if (options.mode === 'bar') {
      const layout = barLayout(label, total, options);
      this.layout = layout;
      this.bar = new SingleBar(
        { format: layout.format, hideCursor: true, clearOnComplete: true, stream: process.stderr },
        Presets.shades_classic,
      );
      const { value, payload } = layout.frame(0, 0, '');
      this.bar.start(layout.total, value, payload);
    }
    this.last = this.started;
  }

  /**
   * `fraction`: of the whole work done, when known (replay: bytes of the traces read), which
   * fills the bar and adds how much is read and an ETA to the status ("read 45% | eta 3m20s";
   * in JSON lines `fraction` and `etaSeconds`).
   */
  update(done: number, fields: Fields = {}, fraction?: number): void {
    const elapsedMs = performance.now() - this.started;
    this.done = done;
    this.fields = { ...fields, ...this.fractionFields(fraction, elapsedMs), ...this.stopFields() };
    const status = human(this.fields).join(' | ');
    if (this.bar !== undefined && this.layout !== undefined) {
      const { value, payload } = this.layout.frame(done, elapsedMs, status, fraction);
      this.bar.update(value, payload);
      return;
    }
    const now = performance.now();
    if (now - this.last < (this.options.everySeconds ?? 10) * 1000) return;
    this.last = now;
    this.emit();
  }

  /**
   * A phase starting (`vpdma minimize`'s, before linking, which holds the thread: the bar is
   * drawn before it): a JSON line at once; a status line at once too once the run has lasted
   * a status line's interval (a short run stays as quiet as before).
   */
  mark(done: number, fields: Fields = {}): void {
    const everyMs = (this.options.everySeconds ?? 10) * 1000;
    if (this.options.mode === 'json' || performance.now() - this.started >= everyMs)
      this.last = Number.NEGATIVE_INFINITY;
    this.update(done, fields);
    this.bar?.render();
  }

  /**
   * After Ctrl-C the run stops by `byMs` (performance.now()) at the latest: the ETA, which
   * would grow while a hung call holds the run, gives way to that wait, counting down.
   */
  stopping(byMs: number): void {
    this.stopBy = byMs;
  }

  private stopBy: number | undefined;

  private stopFields(): Fields {
    if (this.stopBy === undefined) return {};
    const leftMs = Math.max(0, this.stopBy - performance.now());
    if (this.options.mode === 'json') return { stoppingSeconds: Math.ceil(leftMs / 1000) };
    return { stopping: `waiting up to ${clock(leftMs + 999)} for a call in progress` };
  }

  private fractionFields(fraction: number | undefined, elapsedMs: number): Fields {
    if (fraction === undefined) return {};
    const f = Math.min(Math.max(fraction, 0), 1);
    // An ETA from the pace so far, once there is one (the first percent and two seconds), and
    // none once stopping: the pace no longer says when the run ends.
    const paced = f >= 0.01 && f < 1 && elapsedMs >= 2000 && this.stopBy === undefined;
    const etaMs = paced ? (elapsedMs * (1 - f)) / f : undefined;
    if (this.options.mode === 'json')
      return {
        fraction: Math.round(f * 1e4) / 1e4,
        ...(etaMs === undefined ? {} : { etaSeconds: Math.round(etaMs / 1000) }),
      };
    return {
      read: `${Math.floor(f * 100)}%`,
      ...(etaMs === undefined ? {} : { eta: clock(etaMs) }),
    };
  }

  private emit(): void {
    if (this.options.mode === 'lines')
      this.options.write(
        this.done === 0 && this.options.idle !== undefined
          ? `vpdma ${this.label}: ${this.options.idle}\n`
          : line(this.label, this.done, this.total, this.fields),
      );
    if (this.options.mode === 'json') {
      const total = this.total > 0 ? { total: this.total } : {}; // none for a --time budget
      this.options.write(
        `${JSON.stringify({ progress: this.label, done: this.done, ...total, ...this.fields })}\n`,
      );
    }
  }

  /** A line between status lines (above the bar), or `json` instead in JSON mode. */
  event(text: string, json: string): void {
    if (this.options.mode === 'json') return this.options.write(json);
    this.options.write(this.bar === undefined ? text : `\r\x1b[2K${text}`);
    this.bar?.render();
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

/** What minimization reports (src/fuzz/run.ts MinimizeStatus). */
interface MinimizeStatus {
  readonly current: number;
  readonly total: number;
  readonly attempts: number;
}

/**
 * Minimization's progress, after the campaign's: at its first status the campaign's display
 * ends and this one starts, as a bar ("vpdma minimize [███░░] 3/20 | attempts 412"), a status
 * line every 10 s ("vpdma minimize: 3/20 | attempts 412": minimizing the third of 20 failing
 * cases, 412 replays so far), or JSON lines. A night's minimization may take as long as its
 * fuzzing; without this a CI log showed nothing all that while.
 */
export function minimizeProgress(
  campaign: Progress,
  options: ProgressOptions,
): { update(s: MinimizeStatus): void; stop(): void } {
  let progress: Progress | undefined;
  return {
    update: (s) => {
      if (progress === undefined) {
        campaign.stop();
        progress = new Progress('minimize', s.total, { ...options, timeMs: undefined });
      }
      progress.update(s.current, { attempts: s.attempts });
    },
    stop: () => progress?.stop(),
  };
}

/** 1234567 → "1.2M": progress numbers people can read at a glance. */
export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}
