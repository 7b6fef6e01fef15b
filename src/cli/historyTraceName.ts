// A replayed trace as --history names it in a bucket's `traces` (and as a night's verdicts are
// looked up): a stable name, the same on every machine, so that a history kept across machines
// (a CI cache, nights merged from runners with other install paths) sees one trace once.
//   - an earlier finding's repro: `findings/<kind>/<fn>/<hash>/repro.<ext>` (traceKey);
//   - a trace of the bundled corpus: `corpus:<name>`, wherever vpdma is installed: this
//     vpdma's corpus directory, or an absolute path to a file of the same name in a directory
//     named `corpus` (another machine's install, in a shard's report);
//   - any other trace: its path as replayed (as --replay gave it).
// Histories written before this held the bundled corpus's absolute paths: loadHistory renames
// them (historyTraceNames), so they read as before and are written back stable.
import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { BUNDLED_TRACE } from '../report/command.js';
import { sortedRecord, type History } from '../report/history.js';
import { bundledCorpusDir } from '../store/corpus.js';

/**
 * An earlier finding's repro by its signature and file, `findings/<kind>/<fn>/<hash>/repro.<ext>`
 * (it lives in each run's own OUT/findings: `s1/findings/...`, `s2/findings/...`); any other
 * trace as given.
 */
export function traceKey(trace: string): string {
  const m =
    /(?:^|[\\/])(findings[\\/][^\\/]+[\\/][^\\/]+[\\/][^\\/]+[\\/]repro\.(?:jsonl|txt|vpt))$/.exec(
      trace,
    );
  return m?.[1] === undefined ? trace : m[1].replace(/\\/g, '/');
}

/** By corpus directory, the names of its files (read once). */
const bundledNames = new Map<string, ReadonlySet<string>>();

function bundledFiles(dir: string): ReadonlySet<string> {
  let names = bundledNames.get(dir);
  if (names === undefined) {
    try {
      names = new Set(readdirSync(dir));
    } catch {
      names = new Set();
    }
    bundledNames.set(dir, names);
  }
  return names;
}

export function historyTraceName(trace: string, corpusDir = bundledCorpusDir()): string {
  const key = traceKey(trace);
  if (key !== trace || !isAbsolute(trace)) return key;
  const inside = relative(corpusDir, trace);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside))
    return `${BUNDLED_TRACE}${inside.split(sep).join('/')}`;
  const name = basename(trace);
  if (basename(dirname(trace)) === 'corpus' && bundledFiles(corpusDir).has(name))
    return `${BUNDLED_TRACE}${name}`;
  return trace;
}

/**
 * A corpus trace as a command line names it (the nightly's Reproduce lines): a bundled one by
 * its `corpus:NAME`, which replay, show and minimize take wherever vpdma is installed; any
 * other (a trace of yours, an earlier finding's repro) by its path as replayed.
 */
export function commandTraceName(trace: string, corpusDir = bundledCorpusDir()): string {
  const name = historyTraceName(trace, corpusDir);
  return name.startsWith(BUNDLED_TRACE) ? name : trace;
}

/**
 * A trace's `traceId` in report.json (docs/report-json.md): `corpus:NAME` for a trace of this
 * vpdma's bundled corpus and `findings/...` for an earlier finding's repro, as --history and
 * SARIF name them, however the path was given (relative, through node_modules); otherwise the
 * path as given. Only this install's corpus counts: a user's own `corpus/` directory holding a
 * file of a bundled name is the user's (historyTraceName's guess is for other machines' paths).
 */
export function traceIdOf(trace: string, corpusDir = bundledCorpusDir()): string {
  const path = resolve(trace);
  const key = traceKey(path);
  if (key !== path) return key;
  const inside = relative(corpusDir, path);
  if (inside !== '' && !inside.startsWith('..') && !isAbsolute(inside))
    return `${BUNDLED_TRACE}${inside.split(sep).join('/')}`;
  return trace;
}

/** `h` with its buckets' traces named by historyTraceName (older histories' paths renamed). */
export function historyTraceNames(h: History, corpusDir = bundledCorpusDir()): History {
  if (!h.buckets.some((b) => b.traces !== undefined)) return h;
  const buckets = h.buckets.map((b) => {
    if (b.traces === undefined) return b;
    const traces = [...new Set(b.traces.map((t) => historyTraceName(t, corpusDir)))].sort();
    if (b.shownAt === undefined) return { ...b, traces };
    // Two names of one trace: the later call, which a trace must get past.
    const at = new Map<string, number>();
    for (const [t, n] of Object.entries(b.shownAt)) {
      const name = historyTraceName(t, corpusDir);
      at.set(name, Math.max(n, at.get(name) ?? n));
    }
    return { ...b, traces, shownAt: sortedRecord(at) };
  });
  return { ...h, buckets };
}
