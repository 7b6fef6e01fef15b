// `vpdma fuzz --case N`: case N of a seed and starting corpus, written without running it. Case
// i depends only on (seed, i, the starting corpus, --disable, --profile, --calls-max), so this
// regenerates any case of a campaign (docs/fuzzing.md, "One case, regenerated").
import { join } from 'node:path';
import { buildBase, type BaseCap, type NamedTrace } from '../fuzz/base.js';
import { generateCase } from '../fuzz/caseGen.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { caseContext } from '../fuzz/run.js';
import { printRepro } from '../replay/reproText.js';
import { writeTraceAtomic } from '../store/traceWrite.js';
import { formatTraceError } from '../trace/traceError.js';
import { UserError, type CliIo } from './context.js';
import { EXIT, type ExitCode } from './exitCodes.js';
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

/** Writes OUT/case-N.txt (annotated, as repro.txt) and OUT/case-N.vpt, and says so. */
export async function writeCase(
  io: CliIo,
  p: { readonly out: string; readonly settings: FuzzSettings },
  base: readonly NamedTrace[],
  cap: BaseCap | undefined,
  index: number,
): Promise<ExitCode> {
  const s = p.settings;
  const b = buildBase(base, s.callsMax, s.profile, s.disabled, cap);
  const trace = generateCase(caseContext(s, b.entries), index);
  const text = printRepro(trace);
  const paths = ['txt', 'vpt'].map((ext) => join(p.out, `case-${index}.${ext}`));
  for (const p of paths) {
    const r = await writeTraceAtomic(p, trace, text);
    if (!r.ok) throw new UserError(formatTraceError(r.error));
  }
  io.err(
    `vpdma fuzz: case ${index} (seed=${s.seedText}, ${b.entries.length} base entries): ${trace.calls.length} calls as generated, not run: ${paths.join(', ')}\n`,
  );
  return EXIT.ok;
}
