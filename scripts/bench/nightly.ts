// A nightly job on the defaults (bundled corpus, built-in model target), for a fixed budget,
// through the real CLI in a child process, as CI runs it.
//
//   npm run build && npx tsx scripts/bench/nightly.ts [duration]     (default 5m)
//
// Prints what the job's report.json records: cases, calls, coverage reached, corpus size,
// findings, wall time per phase, and the child's peak RSS (VmHWM, from /usr/bin/time when
// present, else the report's own maxRSS figure).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const duration = process.argv[2] ?? '5m';
const out = mkdtempSync(join(tmpdir(), 'vpdma-bench-nightly-'));
const args = ['bin/vpdma.js', 'nightly', '--time', duration, '--out', out, '--quiet'];
const timed = existsSync('/usr/bin/time');
const t0 = Date.now();
const child = timed
  ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8' })
  : spawnSync(process.execPath, args, { encoding: 'utf8' });
const wall = (Date.now() - t0) / 1000;
const hwm = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr ?? '');
interface Report {
  corpus: { summary: { traces: number; calls: number; passed: number } };
  fuzz: {
    cases: number;
    calls: number;
    coverage: number;
    corpusSize: number;
    newCorpusEntries: number;
  };
  findings: unknown[];
  timing: {
    replayMs: number;
    fuzzMs: number;
    minimizeMs: number;
    reportMs: number;
    wallMs: number;
    peakRssBytes: number;
    workers: number;
  };
}
const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `nightly bench: --time ${duration}, ${availableParallelism()} cores, ${r.timing.workers} workers, node ${process.version}, exit ${child.status}`,
);
console.log(
  `corpus replay: ${r.corpus.summary.traces} traces, ${r.corpus.summary.calls} calls, ${r.corpus.summary.passed} passed, ${(r.timing.replayMs / 1000).toFixed(1)} s`,
);
console.log(
  `fuzz: ${r.fuzz.cases} cases, ${r.fuzz.calls} calls (${Math.round(r.fuzz.calls / Math.max(r.timing.fuzzMs / 1000, 1e-3))} calls/s), coverage ${r.fuzz.coverage} keys, corpus ${r.fuzz.corpusSize} (+${r.fuzz.newCorpusEntries}), ${(r.timing.fuzzMs / 1000).toFixed(1)} s`,
);
console.log(
  `findings: ${r.findings.length}; minimize ${(r.timing.minimizeMs / 1000).toFixed(1)} s; reports ${(r.timing.reportMs / 1000).toFixed(2)} s`,
);
console.log(
  `wall: ${wall.toFixed(1)} s (report: ${(r.timing.wallMs / 1000).toFixed(1)} s); peak RSS: ${hwm?.[1] !== undefined ? mib(Number(hwm[1]) * 1024) : mib(r.timing.peakRssBytes)}`,
);
rmSync(out, { recursive: true, force: true });
