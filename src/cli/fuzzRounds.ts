// `vpdma fuzz --rounds [N]`: kept cases mutated later in the same run (src/fuzz/rounds.ts,
// docs/fuzzing.md "Rounds"). Refused with --shard (a shard would not see the others' kept
// cases, so the shards could not add up to the unsharded run) and with --case (case N needs the
// cases kept before its round, which only running them gives).
import type { Shard } from '../fuzz/campaign.js';
import { ROUND_CASES } from '../fuzz/rounds.js';
import { UserError } from './context.js';
import { positiveInt, shardOption } from './options.js';

const ROUNDS_HELP = `cut the run into rounds of this many cases (default ${ROUND_CASES}): each round's cases also mutate the cases kept in the rounds before it`;
export const ROUNDS_OPTION = [
  '--rounds [cases]',
  `${ROUNDS_HELP} (not with --shard or --case)`,
] as const;
/** vpdma nightly's: it has no --case. */
export const NIGHTLY_ROUNDS_OPTION = [
  '--rounds [cases]',
  `${ROUNDS_HELP} (not with --shard)`,
] as const;

/** --shard and --rounds together (vpdma nightly): the second refuses the first. */
export function shardAndRounds(o: {
  readonly shard?: string;
  readonly rounds?: string | boolean;
}): { shard: Shard; rounds: number | undefined } {
  return { shard: shardOption(o.shard), rounds: roundsOption(o.rounds, o) };
}

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
