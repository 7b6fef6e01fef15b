// What crosses the worker boundary: plain data only (STYLE lesson 3). Traces travel as bytes
// or file paths, never as closures or class instances.
import type { Profile } from '../model/device.js';
import type { ReplayResult } from './replay.js';

export interface TraceItem {
  /** Position in the whole run: results are reported in this order, whatever finishes first. */
  readonly id: number;
  /** File name or repro label, for messages. */
  readonly label: string;
  /** Read the trace from this file (the worker streams big .vpt files)... */
  readonly path?: string;
  /** ...or decode it from these bytes (.vpt encoding). */
  readonly bytes?: Uint8Array;
  /** The file's size in bytes, when known: big traces go first, in tasks of their own. */
  readonly size?: number;
}

export interface ReplaySettings {
  readonly target: string;
  readonly profile?: Profile;
  readonly paranoid: boolean;
  readonly timeoutMs: number;
  /**
   * --load-timeout, when given: how long a fresh process: child may take to answer hello
   * (default: replay/startTimeout.ts); a module's load is checked before the run instead.
   */
  readonly startTimeoutMs?: number;
  /** --rss-limit-mb: a process: child past this many MiB resident is killed (absent or 0: none). */
  readonly rssLimitMb?: number;
  readonly sampleBytes: number;
  /** Tell each call as it replays (`vpdma replay --explain`; one trace). */
  readonly explain?: boolean;
  /**
   * Stop replaying after the call that shows the first violation matching this (each field
   * left out matches any): `vpdma minimize`'s first replay. The rest of the trace is still
   * read and checked (bad input there is the trace's inputError), not replayed; the item's
   * `traceCalls` counts its calls.
   */
  readonly stopAtViolation?: { readonly kind?: string; readonly fn?: string };
}

export interface ReplayTask {
  readonly settings: ReplaySettings;
  readonly items: readonly TraceItem[];
  /**
   * [item id or -1, call index, calls done, fn index, item in hand or -1, target answers,
   * targets started, stop, violations found, KiB read]: the pool's watchdog reads it, the pool asks a
   * task to stop by it, and after a worker died it says which item it died on (heartbeat.ts).
   */
  readonly heartbeat?: SharedArrayBuffer;
}

export interface ItemResult {
  readonly id: number;
  readonly label: string;
  /** Set when the trace replayed (even partially). */
  readonly result?: ReplayResult;
  /** Set when the trace could not be read: bad input, reported with exit code 2. */
  readonly inputError?: string;
  /**
   * Set when the trace is damaged (cut short, a bad checksum) after an intact part: `result`
   * is the replay of that part; the damage is bad input, exit code 2, as inputError.
   */
  readonly damage?: string;
  /** Set when the target could not be created at all. */
  readonly setupError?: string;
  /**
   * The calls in the trace (its intact part when damaged, those before bad input), set
   * whenever it was read to its end: also when the replay stopped at
   * settings.stopAtViolation's violation (result.interrupted, result.calls the calls
   * replayed), or the target never started. Unset when the file could not be read, or a
   * Ctrl-C stopped the reading. Callers use it rather than read the file again to count.
   */
  readonly traceCalls?: number;
  /** Set when the target's close() failed after the trace: a warning, no part of the result. */
  readonly closeError?: string;
}

export const HEARTBEAT_SLOTS = 10;

/**
 * The key of a worker's message carrying `--explain` text (`{[EXPLAIN_MESSAGE]: text}`): sent
 * apart from the task's result as the replay goes, so the pool hears it in the order sent.
 */
export const EXPLAIN_MESSAGE = 'vpdmaExplain';

/** The text of an --explain message, or undefined for any other message. */
export function explainText(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const text = (message as Record<string, unknown>)[EXPLAIN_MESSAGE];
  return typeof text === 'string' ? text : undefined;
}
