// Nights of `vpdma nightly` carrying OUT/corpus forward, as a CI cache does: what each night
// starts from and keeps, what --corpus-max deletes, how long loading the corpus takes and the
// peak RSS. Through the real CLI in a child process (run `npm run build` first).
//
//   npx tsx scripts/bench/corpusNights.ts START_DIR NIGHTS [nightly options...]
//   npx tsx scripts/bench/corpusNights.ts /tmp/ci-corpus 3 --target model --runs 2000 --corpus-max 1000
//
// START_DIR (may be empty) is copied, never changed; night n runs with --seed 100n.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [start, nightsText, ...options] = process.argv.slice(2);
if (start === undefined || nightsText === undefined) {
  console.error('usage: corpusNights.ts START_DIR NIGHTS [nightly options...]');
  process.exit(2);
}
const out = mkdtempSync(join(tmpdir(), 'vpdma-bench-nights-'));
mkdirSync(join(out, 'corpus'));
cpSync(start, join(out, 'corpus'), { recursive: true });

interface Report {
  timing: { wallMs: number; peakRssBytes: number };
  fuzz: { cases: number; newCorpusEntries: number };
  fuzzDetail: {
    coverage: number;
    timing: { loadMs?: number };
    corpus: {
      found?: { entries: number; bytes: number };
      capped?: { deleted: number; keys: number; keysKept: number };
    };
  };
}

console.log(`nightly ${options.join(' ')} (out ${out})`);
console.log(
  'night | at start | deleted (keys lost) | cases | kept | coverage | at end | end MiB | load | peak RSS | wall',
);
for (let n = 1; n <= Number(nightsText); n++) {
  const args = ['bin/vpdma.js', 'nightly', '--out', out, '--seed', String(100 + n), '--quiet'];
  const r = spawnSync(process.execPath, [...args, ...options], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) {
    console.error(r.stderr);
    process.exit(1);
  }
  const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  const c = rep.fuzzDetail.corpus;
  const files = readdirSync(join(out, 'corpus'));
  let bytes = 0;
  for (const f of files) bytes += readFileSync(join(out, 'corpus', f)).length;
  const cut =
    c.capped === undefined ? '-' : `${c.capped.deleted} (${c.capped.keys - c.capped.keysKept})`;
  console.log(
    [
      n,
      c.found?.entries ?? 0,
      cut,
      rep.fuzz.cases,
      rep.fuzz.newCorpusEntries,
      rep.fuzzDetail.coverage,
      files.length,
      (bytes / 2 ** 20).toFixed(1),
      `${((rep.fuzzDetail.timing.loadMs ?? 0) / 1000).toFixed(2)} s`,
      `${Math.round(rep.timing.peakRssBytes / 2 ** 20)} MiB`,
      `${(rep.timing.wallMs / 1000).toFixed(1)} s`,
    ].join(' | '),
  );
}
rmSync(out, { recursive: true, force: true });
