// `vpdma fuzz --rounds [N]`: kept cases mutated later in the same run (src/fuzz/rounds.ts,
// docs/fuzzing.md "Rounds"). Refused with --shard (a shard would not see the others' kept
// cases, so the shards could not add up to the unsharded run). With --case, the rounds before
// the case's run first (fuzz/roundCase.ts).
import type { Shard } from '../fuzz/campaign.js';
import { ROUND_CASES, ROUNDS_MAX } from '../fuzz/rounds.js';
import { UserError } from './context.js';
import { positiveInt, shardOption } from './options.js';

const ROUNDS_HELP = `cut the run into rounds of this many cases (default: ${ROUND_CASES}): each round's cases also mutate the cases kept in the rounds before it`;
export const ROUNDS_OPTION = [
  '--rounds [cases]',
  `${ROUNDS_HELP} (not with --shard; with --case N, the cases of the rounds before N's run first)`,
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
  o: { readonly shard?: string },
): number | undefined {
  if (given === undefined || given === false) return undefined;
  if (o.shard !== undefined && o.shard !== '1/1')
    throw new UserError(
      "--rounds and --shard: a shard would not mutate the cases the other shards keep, so the shards' results could not add up to one run's",
    );
  return given === true ? ROUND_CASES : positiveInt('--rounds', given, ROUND_CASES, ROUNDS_MAX);
}
