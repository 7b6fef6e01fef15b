// Nightly's default --corpus-max against no limit (`--corpus-max 0`, the old default), on one
// starting corpus carried forward night after night as a CI cache does. The two chains run
// interleaved (night 1 capped, night 1 uncapped, night 2 capped, ...) so that both see the
// same machine; each prints what it started from, what the cap deleted (and the coverage keys
// that went), the load (reading the corpus and building the base), the cases run (under
// --time, what the workers' start-up left of it), the peak RSS and the wall time, then the uncapped night's figures over the capped one's. Through the real CLI in
// a child process (run `npm run build` first).
//
//   npx tsx scripts/bench/nightlyCap.ts START_DIR NIGHTS [nightly options...]
//   npx tsx scripts/bench/nightlyCap.ts /tmp/big-corpus 2 --target model --time 30s --workers 2
//
// START_DIR is copied, never changed; night n runs with --seed 100+n in both chains.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const [start, nightsText, ...options] = process.argv.slice(2);
if (start === undefined || nightsText === undefined) {
  console.error('usage: nightlyCap.ts START_DIR NIGHTS [nightly options...]');
  process.exit(2);
}

interface Report {
  timing: { wallMs: number; peakRssBytes: number };
  fuzz: { cases: number; newCorpusEntries: number };
  fuzzDetail: {
    coverage: number;
    corpusMax?: number;
    timing: { loadMs?: number };
    corpus: {
      found?: { entries: number };
      capped?: { deleted: number; keys: number; keysKept: number };
    };
  };
}

interface Night {
  readonly load: number;
  readonly rss: number;
  readonly wall: number;
  readonly cases: number;
}

const chains = [
  { what: 'default cap', extra: [] as string[] },
  { what: 'no limit   ', extra: ['--corpus-max', '0'] },
].map((c) => {
  const out = mkdtempSync(join(tmpdir(), 'vpdma-bench-cap-'));
  mkdirSync(join(out, 'corpus'));
  cpSync(start, join(out, 'corpus'), { recursive: true });
  return { ...c, out };
});

function night(n: number, c: (typeof chains)[number]): Night {
  const args = ['bin/vpdma.js', 'nightly', '--out', c.out, '--seed', String(100 + n), '--quiet'];
  const r = spawnSync(process.execPath, [...args, ...options, ...c.extra], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) {
    console.error(r.stderr);
    process.exit(1);
  }
  const rep = JSON.parse(readFileSync(join(c.out, 'report.json'), 'utf8')) as Report;
  const d = rep.fuzzDetail;
  const cut =
    d.corpus.capped === undefined
      ? '-'
      : `${d.corpus.capped.deleted} (${d.corpus.capped.keys - d.corpus.capped.keysKept})`;
  const load = (d.timing.loadMs ?? 0) / 1000;
  const rss = rep.timing.peakRssBytes / 2 ** 20;
  const wall = rep.timing.wallMs / 1000;
  console.log(
    [
      `${c.what} ${n}`,
      d.corpusMax ?? 'none',
      d.corpus.found?.entries ?? 0,
      cut,
      rep.fuzz.cases,
      rep.fuzz.newCorpusEntries,
      d.coverage,
      readdirSync(join(c.out, 'corpus')).length,
      `${load.toFixed(2)} s`,
      `${Math.round(rss)} MiB`,
      `${wall.toFixed(1)} s`,
      loadavg()[0]?.toFixed(1),
    ].join(' | '),
  );
  return { load, rss, wall, cases: rep.fuzz.cases };
}

console.log(`nightly ${options.join(' ')}`);
console.log(
  'night | cap | at start | deleted (keys lost) | cases | kept | coverage | at end | load | peak RSS | wall | load avg',
);
for (let n = 1; n <= Number(nightsText); n++) {
  const [capped, open] = chains.map((c) => night(n, c)) as [Night, Night];
  const ratio = (k: keyof Night): string => (open[k] / capped[k]).toFixed(2);
  console.log(
    `night ${n}, no limit / default cap: load ${ratio('load')}x, peak RSS ${ratio('rss')}x, wall ${ratio('wall')}x, cases ${ratio('cases')}x`,
  );
}
for (const c of chains) rmSync(c.out, { recursive: true, force: true });
