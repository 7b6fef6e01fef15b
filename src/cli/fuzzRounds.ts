// `vpdma fuzz --rounds [N]`: kept cases mutated later in the same run (src/fuzz/rounds.ts,
// docs/fuzzing.md "Rounds"). Refused with --shard (a shard would not see the others' kept
// cases, so the shards could not add up to the unsharded run) and with --case (case N needs the
// cases kept before its round, which only running them gives).
import { ROUND_CASES } from '../fuzz/rounds.js';
import { UserError } from './context.js';
import { positiveInt } from './options.js';

export const ROUNDS_OPTION = [
  '--rounds [cases]',
  `cut the run into rounds of this many cases (default ${ROUND_CASES}): each round's cases also mutate the cases kept in the rounds before it (not with --shard or --case)`,
] as const;

/** Cases per round (undefined: no rounds). */
export function roundsOption(
  given: string | boolean | undefined,
  o: { readonly shard?: string; readonly case?: string },
): number | undefined {
  if (given === undefined || given === false) return undefined;
  if (o.shard !== undefined && o.shard !== '1/1')
    throw new UserError(
      "--rounds and --shard: a shard would not mutate the cases the other shards keep, so the shards' results could not add up to one run's",
    );
  if (o.case !== undefined)
    throw new UserError(
      '--rounds and --case: a case after the first round mutates cases kept in the rounds before it, which only running them gives (docs/fuzzing.md, "Rounds")',
    );
  return given === true ? ROUND_CASES : positiveInt('--rounds', given, ROUND_CASES, 100_000_000);
}
