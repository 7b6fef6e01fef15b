// `vpdma nightly`'s options and their help; commands/nightly.ts runs the night.
import type { Command } from 'commander';
import { NIGHTLY_CORPUS_MAX_OPTION } from './corpusCap.js';
import { NIGHTLY_ROUNDS_OPTION } from './fuzzRounds.js';
import { HISTORY_RECOVER_OPTION } from './historyRecover.js';
import { FUZZ_OPTIONS, SHARED_OPTIONS } from './options.js';

export function nightlyCommand(program: Command): Command {
  return program
    .command('nightly')
    .description(
      'the scheduled job: replay regressions and the corpus, fuzz, minimize, and write JSON, JUnit, SARIF and HTML reports',
    )
    .option(...SHARED_OPTIONS.target)
    .option(...SHARED_OPTIONS.profile)
    .option(...SHARED_OPTIONS.seed)
    .option(
      '--time <duration>',
      "fuzzing budget, e.g. 30s, 30m, 2h; a bare number is seconds (default: 30s; a case under way finishes); the workers' start-up is on it, reading the corpus and the other phases come on top",
    )
    .option(
      '--minimize-time <duration>',
      'minimize the findings, then the failing corpus traces, for at most this long in all; those left are reported unminimized, or with the minimized repro an earlier run left of their signature (default: --time, else no limit: give it with --runs)',
    )
    .option(
      '--runs <n>',
      'fuzz exactly this many cases instead of --time (reproducible across machines and shards)',
    )
    .option(
      '--budget-replay <duration>',
      'stop replaying the corpus after this long (default: no limit)',
    )
    .option(
      '--replay <dir...>',
      'trace directories to replay before fuzzing, instead of the bundled corpus (default), which the word bundled names: --replay bundled regress/ replays both (repeatable)',
    )
    .option(...NIGHTLY_ROUNDS_OPTION)
    .option(...SHARED_OPTIONS.workers)
    .option(...SHARED_OPTIONS.workerHeapMb)
    .option('--corpus <dir>', 'fuzzing corpus: read at start, new cases kept (default: OUT/corpus)')
    .option(...NIGHTLY_CORPUS_MAX_OPTION)
    .option(
      '--out <dir>',
      "reports, findings, the failing corpus traces' repros and (by default) the corpus go here",
      'vpdma-out',
    )
    .option(
      '--shard <k/n>',
      'run only this shard of the campaign; combine shards with vpdma merge',
      '1/1',
    )
    .option(
      '--history <file>',
      'findings and failing corpus traces across runs: which are new, still open, regressed or fixed (fixed: its repro in OUT/findings, and every trace that failed with it, replayed and passed); each write keeps the version it replaces as FILE.prev',
    )
    .option(...HISTORY_RECOVER_OPTION)
    .option(
      '--fail-on <when>',
      'exit 1 on: new (new or regressed findings and failing corpus traces, judged by --history: without it every one is new), any (any finding or corpus violation), none',
      'any',
    )
    .option(
      '--known <file>',
      "signatures FILE holds are known (a baseline): their corpus violations and findings are listed and marked known, but fail no --fail-on, a trace is judged by its first violation not known, and --history opens no bucket for one. FILE: an earlier report.json (its violations' signatures), a text file of signatures (one a line, # comments), or reactos-divergences, vpdma's list of the documented ReactOS divergences; repeatable",
      (v: string, prev: readonly string[] = []): readonly string[] => [...prev, v],
    )
    .option(
      '--json <file>',
      'also write report.json here (- for stdout; the summary goes to stderr)',
    )
    .addOption(FUZZ_OPTIONS.callsMax())
    .option(
      SHARED_OPTIONS.disable[0],
      `${SHARED_OPTIONS.disable[1]}; the bundled corpus traces that call one are not replayed`,
      SHARED_OPTIONS.disable[2],
    )
    .option(...SHARED_OPTIONS.targetCoverage)
    .addOption(FUZZ_OPTIONS.timeout())
    .option(...SHARED_OPTIONS.loadTimeout)
    .option(...SHARED_OPTIONS.rssLimitMb)
    .option(...SHARED_OPTIONS.quiet)
    .option(...SHARED_OPTIONS.jsonProgress);
}
