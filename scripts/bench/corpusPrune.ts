// What `vpdma corpus prune` keeps of a large corpus, and what it costs: the distinct coverage
// keys, the entries holding a key no other entry holds (no cover keeps fewer), the entries the
// previous rule kept (for every key, the smallest entry reaching it, as afl-cmin) against the
// greedy cover weighted by rarity (src/fuzz/cover.ts), and, under --entries-max, the coverage
// kept. Times: reading the files, measuring their coverage, choosing (CPU time in brackets).
//   npx tsx scripts/bench/corpusPrune.ts DIR... [--caps 2000,1000,500]
import { performance } from 'node:perf_hooks';
import { chooseCover, type CoverEntry } from '../../src/fuzz/cover.js';
import { coverageOf } from '../../src/fuzz/prune.js';
import { readCorpusDir } from '../../src/store/corpus.js';

const args = process.argv.slice(2);
const capsAt = args.indexOf('--caps');
const caps = capsAt < 0 ? [2000, 1000, 500] : (args[capsAt + 1] ?? '').split(',').map(Number);
const dirs = capsAt < 0 ? args : [...args.slice(0, capsAt), ...args.slice(capsAt + 2)];

/** The rule prune had before: for every key, the entry with fewest calls (then name) reaching it. */
function perKeySmallest(es: readonly CoverEntry[]): CoverEntry[] {
  const best = new Map<number, CoverEntry>();
  for (const e of es)
    for (const k of e.keys) {
      const h = best.get(k);
      if (h === undefined || e.calls < h.calls || (e.calls === h.calls && e.name < h.name))
        best.set(k, e);
    }
  return [...new Set(best.values())];
}

const mb = (n: number): string => `${(n / 2 ** 20).toFixed(2)} MiB`;
const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;

function timed<T>(f: () => T): [T, string] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  return [
    r,
    `${(performance.now() - t0).toFixed(0)} ms (${((c.user + c.system) / 1000).toFixed(0)} ms CPU)`,
  ];
}

for (const dir of dirs) {
  const t0 = performance.now();
  const files = await readCorpusDir(dir, (m) => console.error(m));
  const readMs = performance.now() - t0;
  const [es, measureTime] = timed(() =>
    files.map((f) => ({
      name: f.name,
      calls: f.trace.calls.length,
      bytes: f.bytes,
      keys: coverageOf(f),
    })),
  );
  const reach = new Map<number, number>();
  for (const e of es) for (const k of e.keys) reach.set(k, (reach.get(k) ?? 0) + 1);
  const own = es.filter((e) => [...e.keys].some((k) => reach.get(k) === 1));
  const bytes = es.reduce((s, e) => s + e.bytes, 0);
  console.log(
    `${dir}: ${es.length} entries, ${mb(bytes)}; read ${readMs.toFixed(0)} ms, measured in ${measureTime}`,
  );
  console.log(
    `  ${reach.size} distinct keys, ${[...reach.values()].filter((n) => n === 1).length} of them reached by one entry; ${own.length} entries (${pct(own.length, es.length)}) hold a key no other entry holds`,
  );
  const row = (label: string, kept: readonly CoverEntry[], time?: string): void => {
    const keys = new Set(kept.flatMap((e) => [...e.keys]));
    console.log(
      `  ${label.padEnd(30)} ${String(kept.length).padStart(5)} entries (${pct(kept.length, es.length)}), ${mb(kept.reduce((s, e) => s + e.bytes, 0))}, keys ${pct(keys.size, reach.size)}${time === undefined ? '' : `, chosen in ${time}`}`,
    );
  };
  const [old, oldTime] = timed(() => perKeySmallest(es));
  row('per-key smallest (before)', old, oldTime);
  const [cover, coverTime] = timed(() => chooseCover(es));
  const byName = new Map(es.map((e) => [e.name, e]));
  const pick = (names: readonly string[]): CoverEntry[] =>
    names.map((n) => byName.get(n) as CoverEntry);
  row('greedy cover (now)', pick(cover.keep), coverTime);
  for (const cap of caps) {
    const c = chooseCover(es, { entriesMax: cap });
    row(`--entries-max ${cap}`, pick(c.keep));
    console.log(
      `  ${''.padEnd(30)} lost ${c.keys - c.keysKept} keys, ${c.rareLost} of them reached by one entry`,
    );
  }
}
