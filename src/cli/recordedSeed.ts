// The seed a trace's meta records (a fuzz repro's, the one that finds the case again with
// `vpdma fuzz`), for the commands that draw nothing at random: `minimize` and `replay` print
// it for what it is, not a seed of their own (DESIGN.md: every run prints its seed; these
// have none).
import { oneLine } from '../core/oneLine.js';
import { readTraceHeader } from '../store/traceFiles.js';
import { seedGiven } from './options.js';

/** The line saying so; undefined when the meta records no seed. */
export function recordedSeedLine(command: string, recorded: unknown): string | undefined {
  if (typeof recorded !== 'string' && typeof recorded !== 'number') return undefined;
  return `vpdma ${command}: draws nothing at random (no seed of its own); the trace records seed=${oneLine(String(recorded))} in its meta`;
}

/** `meta.seed` of the trace at `path` (its header alone is read, from a bounded prefix); undefined if none. */
export async function recordedSeed(path: string): Promise<unknown> {
  return (await readTraceHeader(path))?.meta['seed'];
}

/**
 * What `vpdma replay` says of seeds: `seed=S ` on its start line only when one was given
 * (`given`, --seed, or VPDMA_SEED: recorded in the report as asked), not the default it would otherwise
 * print as if the run had used it; and, replaying one trace whose meta records a seed, that
 * seed, as minimize says it.
 */
export async function replaySeed(
  seedText: string,
  given: string | undefined,
  files: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ onStart: string; line: string; seed: boolean }> {
  const [only] = files;
  const recorded =
    files.length === 1 && only !== undefined
      ? recordedSeedLine('replay', await recordedSeed(only))
      : undefined;
  const shown = seedGiven(given, env);
  return {
    onStart: shown ? `seed=${seedText} ` : '',
    seed: shown, // formatReplaySummary's option
    line: recorded === undefined ? '' : `${recorded}\n`,
  };
}
