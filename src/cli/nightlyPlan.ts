// The nightly job's options and decisions: which traces replay first, and what exit code a
// run earns under --fail-on.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { NightlyReportWithDetail } from '../report/nightlyBuild.js';
import { collectTraces, emptyDirMessage } from '../store/collect.js';
import { UserError } from './context.js';
import { EXIT, type ExitCode } from './exitCodes.js';

export interface NightlyOptions {
  readonly target?: string;
  readonly profile?: string;
  readonly seed?: string;
  readonly time?: string;
  readonly runs?: string;
  readonly budgetReplay?: string;
  readonly replay?: string[];
  readonly workers?: string;
  readonly workerHeapMb?: string;
  readonly corpus?: string;
  readonly out?: string;
  readonly shard?: string;
  readonly history?: string;
  readonly failOn?: string;
  readonly json?: string;
  readonly callsMax?: string;
  readonly timeout?: string;
  readonly quiet?: boolean;
  readonly jsonProgress?: boolean;
}

export type FailOn = 'new' | 'any' | 'none';

export function parseFailOn(text: string | undefined): FailOn {
  const v = text ?? 'any';
  if (v === 'new' || v === 'any' || v === 'none') return v;
  throw new UserError(`--fail-on: expected new, any or none, got "${v}"`);
}

/** repro.jsonl of every finding an earlier run left in OUT/findings, sorted. */
async function regressions(dir: string, depth = 0, out: string[] = []): Promise<string[]> {
  if (depth > 8) return out;
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (n === 'repro.jsonl') out.push(p);
    else if ((await stat(p).catch(() => undefined))?.isDirectory() === true)
      await regressions(p, depth + 1, out);
  }
  return out;
}

export interface NightlyTraces {
  /** Regressions first (a repro that once failed must keep passing once fixed), then --replay. */
  readonly files: string[];
  /** --replay directories without a trace: skipped, with a warning once the usage is good. */
  readonly empty: string[];
}

export async function collectNightlyTraces(
  out: string,
  dirs: readonly string[],
): Promise<NightlyTraces> {
  const first = await regressions(join(out, 'findings'));
  const found = await collectTraces(dirs);
  if ('error' in found) throw new UserError(`--replay: ${found.error}`);
  return {
    files: [...first, ...found.files.filter((f) => !first.includes(f))],
    empty: found.empty,
  };
}

export function emptyReplayDirWarning(dir: string): string {
  return `vpdma nightly: --replay ${emptyDirMessage(dir)}; skipped\n`;
}

/**
 * The exit code of a nightly report, from the report alone (so a merge of shards decides as
 * one machine does): 3 a target that could not be set up, 2 unreadable or damaged corpus
 * traces, then --fail-on.
 */
export function exitForNightly(r: NightlyReportWithDetail, failOn: FailOn): ExitCode {
  const traces = r.corpus.traces;
  if (traces.some((t) => t.outcome === 'setup-failed') || r.fuzzDetail.setupError !== undefined)
    return EXIT.crash;
  if (traces.some((t) => t.outcome === 'invalid' || t.damage !== undefined)) return EXIT.badInput;
  if (failOn === 'none') return EXIT.ok;
  const corpusFailed = r.corpus.violations.length > 0;
  if (failOn === 'any') return corpusFailed || r.findings.length > 0 ? EXIT.violations : EXIT.ok;
  return r.findings.some((f) => f.status === 'new' || f.status === 'regressed')
    ? EXIT.violations
    : EXIT.ok;
}
