// The watch calls: the check the harness exists for (VideoPortMapDmaMemory returns NULL and
// changes nothing) run against every shape the case's DMA state takes (dmaShape in
// coverage.ts: which of common buffers, MDLs, pending and delivered transfers and views are
// live), and the same check for one of its obsolete siblings (DoDma, UnmapDmaMemory, ...:
// a port that implements one wrongly can corrupt an in-flight transfer just as well), a
// different one case by case. Whenever the state takes a shape at which no call of a watch
// call's function has run yet in the case, the builder runs that watch call before the next
// one, so "with a transfer in flight beside a live common buffer" is checked in every case
// that reaches it, even inside a producer chain (StartDma, HwVidExecuteDma, CompleteDma back
// to back) where no inserted call can land. The interesting moments of mutate.ts stay: they
// follow the calls that made or moved something; the watch follows the state.
import { int, pick, type Rng } from '../core/rng.js';
import { MAP_DMA_FN } from '../model/calls.js';
import { generated, SIBLING_FNS, type MutationContext } from './mutate.js';
import { BASE, type AbsCall, type Slot } from './program.js';

/**
 * The board address the driver mapped (a live view's bus address, at its base or a page
 * inside), else `drawn`. The watch checks the states the case reaches as a driver would reach
 * them; hostile board addresses are the other obsolete calls' part.
 */
function mapped(drawn: Slot, rng: Rng): Slot {
  const inside = { at: 'frac' as const, frac: int(rng, 0, 0xffff), align: 0x1000 };
  return {
    s: 'mapped',
    pick: int(rng, 0, 7),
    place: int(rng, 0, 1) === 0 ? BASE : inside,
    or: drawn,
  };
}

/**
 * The case's watch calls: a VideoPortMapDmaMemory, then a sibling (drawn by the case's Rng, so
 * each gets the watch in a ninth of cases), drawn with the case's swarm configuration.
 * MapDmaMemory first: at a new shape it runs first, so it keeps every shape it met alone.
 * Incoherent, so they never run producers: they must not change what the program builds.
 */
export function watchCalls(m: MutationContext): AbsCall[] {
  const c = generated(m, MAP_DMA_FN);
  const drawn = c.args['boardAddress'];
  const args = drawn === undefined ? c.args : { ...c.args, boardAddress: mapped(drawn, m.rng) };
  const sibling = generated(m, pick(m.rng, SIBLING_FNS));
  return [
    { ...c, args, coherent: false },
    { ...sibling, coherent: false },
  ];
}
