// `vpdma fuzz --case N`: case N of a seed and starting corpus, written without running it. Case
// i depends only on (seed, i, the starting corpus, --disable, --profile, --calls-max), so this
// regenerates any case of a campaign (docs/fuzzing.md, "One case, regenerated"); with --rounds
// also on the cases kept in the rounds before its own, which run first (fuzz/roundCase.ts).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildBase, type BaseCap, type NamedTrace } from '../fuzz/base.js';
import { caseBaseWarning } from './caseBaseCheck.js';
import { generateCase } from '../fuzz/caseGen.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { createFuzzPool } from '../fuzz/executor.js';
import { roundCase, type RoundCase } from '../fuzz/roundCase.js';
import { caseContext } from '../fuzz/run.js';
import { printRepro } from '../replay/reproText.js';
import { writeTraceAtomic } from '../store/traceWrite.js';
import type { Trace } from '../trace/trace.js';
import { formatTraceError } from '../trace/traceError.js';
import { UserError, type CliIo } from './context.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { onInterrupt } from './interrupt.js';
import { positiveInt } from './options.js';

/** --case's index (undefined: not given); with a budget or a shard it is a usage error. */
export function caseOption(
  text: string | undefined,
  o: { readonly runs?: string; readonly time?: string; readonly shard?: string },
): number | undefined {
  if (text === undefined) return undefined;
  for (const [name, given] of [
    ['--runs', o.runs],
    ['--time', o.time],
  ] as const)
    if (given !== undefined) throw new UserError(`--case and ${name}: --case runs no case`);
  if (o.shard !== undefined && o.shard !== '1/1')
    throw new UserError('--case and --shard: a case index is the same in every shard');
  return positiveInt('--case', text, 0, Number.MAX_SAFE_INTEGER, 0);
}

/**
 * --corpus under --case, which only reads it: missing is an empty corpus, made by no one
 * (nothing but the case is written); anything there but a directory is refused, as a run's
 * checkOutputDir refuses it.
 */
export async function caseCorpusCheck(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (st !== undefined && !st.isDirectory())
    throw new UserError(`--corpus ${dir}: not a directory; --corpus takes a directory`);
}

/** Writes OUT/case-N.txt (annotated, as repro.txt) and OUT/case-N.vpt, and says so. */
export async function writeCase(
  io: CliIo,
  p: {
    readonly out: string;
    readonly settings: FuzzSettings;
    /** --rounds: the rounds before N's run first (roundCase.ts). */
    readonly rounds: number | undefined;
    readonly workers: number;
  },
  base: readonly NamedTrace[],
  cap: BaseCap | undefined,
  index: number,
  /** The target cannot be loaded (targetCheck.ts): fine unless earlier rounds must run. */
  cannotLoad?: { readonly message: string; readonly usage: boolean },
): Promise<ExitCode> {
  const s = p.settings;
  let trace: Trace;
  let what: string;
  let baseId: string;
  if (p.rounds === undefined) {
    const b = buildBase(base, s.callsMax, s.profile, s.disabled, cap);
    trace = generateCase(caseContext(s, b.entries), index);
    what = `${b.entries.length} base entries`;
    baseId = b.shared.id;
  } else {
    const round = Math.floor(index / p.rounds);
    const before = round * p.rounds;
    if (before > 0 && cannotLoad !== undefined)
      throw new UserError(
        `--target: ${cannotLoad.message} (--case ${index} with --rounds runs cases 0 to ${before - 1} first)`,
        cannotLoad.usage ? EXIT.badInput : EXIT.crash,
      );
    if (before > 0)
      io.err(
        `vpdma fuzz: case ${index} is in round ${round}: running cases 0 to ${before - 1} first, to know the cases kept before it\n`,
      );
    const interrupt = onInterrupt(io.err, `stopping: case ${index} is not written`);
    let r: RoundCase;
    try {
      r = await roundCase(
        {
          ...p,
          rounds: p.rounds,
          base,
          ...(cap === undefined ? {} : { cap }),
          signal: interrupt.signal,
        },
        createFuzzPool,
        index,
      );
    } finally {
      interrupt.dispose();
    }
    if (!r.ok) {
      if (r.setupError !== undefined)
        throw new UserError(
          `--case ${index}: the cases before its round could not run: ${r.setupError}`,
          EXIT.crash,
        );
      io.err(
        `vpdma fuzz: stopped after ${r.ran} of ${before} earlier cases: case ${index} not written\n`,
      );
      return EXIT.interrupted;
    }
    trace = r.trace;
    baseId = r.baseId;
    what = `${r.baseEntries} base entries, rounds of ${p.rounds}, ${r.ran} earlier cases run, ${r.kept} kept`;
  }
  const text = printRepro(trace);
  const paths = ['txt', 'vpt'].map((ext) => join(p.out, `case-${index}.${ext}`));
  // A signal while they are written lets both be finished (interrupt.ts), then exits 130.
  const writing = onInterrupt(io.err, `finishing case ${index}'s files`);
  try {
    for (const p of paths) {
      const w = await writeTraceAtomic(p, trace, text);
      if (!w.ok) throw new UserError(formatTraceError(w.error));
    }
  } finally {
    writing.dispose();
  }
  io.err(
    `vpdma fuzz: case ${index} (seed=${s.seedText}, ${what}): ${trace.calls.length} calls as generated, not run: ${paths.join(', ')}\n`,
  );
  const stale = await caseBaseWarning(p.out, s.seedText, baseId, index);
  if (stale !== undefined) io.err(`vpdma: warning: ${stale}\n`);
  return writing.received() === undefined ? EXIT.ok : EXIT.interrupted;
}
