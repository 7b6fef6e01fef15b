// Swarm testing (Groce et al.; syzkaller's per-run call sets): each seed draws a handful of
// configurations, each with its own call weights (some calls switched off entirely), its own
// rate of hostile arguments and its own share of coherent calls. Case i uses configuration
// i mod swarmSize, so one campaign explores several differently-shaped streams, and different
// seeds explore differently. Configuration 0 is always the table's own weights.
import { hashString } from '../core/hash.js';
import { memo } from '../core/memo.js';
import { chance, pick, rngFor, type Rng } from '../core/rng.js';
import { CALLS, producesObject } from '../model/calls.js';
import type { DeviceSpec } from '../model/device.js';

export interface Swarm {
  /** Index of the configuration (0 = the table's weights). */
  readonly slot: number;
  /** Weight of each call in CALLS order (0 = switched off). */
  readonly weights: readonly number[];
  /**
   * Out of 1024: how often a handle argument is hostile (NULL, stale, foreign or wild), in
   * coherent calls too. Low: a hostile handle is misuse, and the case ends two calls later.
   */
  readonly hostility: number;
  /** Out of 100: how often a generated call is made coherent. */
  readonly coherentPct: number;
  /**
   * A fresh program gets an obsolete call after one in this many of its interesting moments
   * (a call that made or moved something; see mutate.ts).
   */
  readonly momentsEvery: number;
  /**
   * Calls still run after the case's first misuse (or latitude detach), at most; Infinity:
   * the rest of the case. Only the crash, hang and inert checks apply there, so a port that
   * corrupts itself on a misuse and fails several calls later is caught only by a long tail.
   */
  readonly misuseTailMax: number;
  /**
   * The device its fresh cases run on (their trace header's `device`; {} is the default, 256
   * MiB of RAM, 64 map registers). Mutated cases keep their base trace's. Without a smaller
   * one no case ever ran out of RAM or map registers, so a leak could never show.
   */
  readonly device: DeviceSpec;
}

export const swarmSize = 8;

/**
 * misuseTailMax by slot, not drawn: every seed has slots that run the whole case past a
 * misuse (a quarter of cases), a quarter run 8 more calls, half stop 2 calls after it (the
 * cheap default: past a misuse each call reads all live memory around it).
 */
const TAILS: readonly number[] = [2, 8, 2, Infinity];

/** Never switched off: the functions the harness exists to check, and the call that starts DMA. */
const KEEP: ReadonlySet<string> = new Set([
  'VideoPortMapDmaMemory',
  'VideoPortUnmapDmaMemory',
  'VideoPortGetDmaAdapter',
]);

// Events too (calls.ts producesObject): @executeDma hands out the list later calls use.
const producesSomething = (i: number): boolean => {
  const c = CALLS[i];
  return c !== undefined && producesObject(c);
};

function multiplier(rng: Rng, i: number): number {
  const fn = CALLS[i]?.fn ?? '';
  if (KEEP.has(fn) || producesSomething(i)) return pick(rng, [0.5, 1, 2, 3]);
  if (chance(rng, 1, 3)) return 0;
  return pick(rng, [0.5, 1, 2, 4]);
}

const drawn = new Map<string, Swarm>();

/** Configuration `slot` of `seed` (drawn once per process, then reused). */
export function swarmFor(seed: number, slot: number): Swarm {
  return memo(drawn, `${seed}:${slot}`, 256, () => draw(seed, slot));
}

function draw(seed: number, slot: number): Swarm {
  if (slot === 0)
    return {
      slot,
      weights: CALLS.map((c) => c.weight * 2),
      hostility: 16,
      coherentPct: 97,
      momentsEvery: 1,
      misuseTailMax: tailOf(slot),
      device: {},
    };
  const rng = rngFor(hashString(`swarm:${seed}`), slot);
  const weights = CALLS.map((c, i) => Math.round(c.weight * 2 * multiplier(rng, i)));
  return {
    slot,
    weights,
    hostility: pick(rng, [4, 12, 32, 64]),
    coherentPct: pick(rng, [90, 95, 98, 100]),
    momentsEvery: pick(rng, [1, 2, 4]),
    misuseTailMax: tailOf(slot),
    device: deviceOf(rng), // drawn last: the knobs above stay what they were before it
  };
}

/**
 * A configuration's device: the default one time in two, else one with less of what
 * allocations and transfers use up: 4, 64 or 256 pages of RAM (it starts at 1 MiB, layout.ts), a
 * few map registers, a maximumLength a generated length can equal, no scatter/gather. Running
 * out, and so a leak, is then within a 64-call case's reach.
 */
function deviceOf(rng: Rng): DeviceSpec {
  if (chance(rng, 1, 2)) return {};
  const ram = chance(rng, 1, 2) ? pick(rng, [0x104000, 0x140000, 0x200000]) : undefined;
  const dma: { mapRegisters?: number; maximumLength?: number; scatterGather?: boolean } = {};
  if (chance(rng, 1, 2)) dma.mapRegisters = pick(rng, [1, 2, 4, 16]);
  if (chance(rng, 1, 2)) dma.maximumLength = pick(rng, [0x1000, 0x2000, 0x10000]);
  if (chance(rng, 1, 4)) dma.scatterGather = false;
  const spec: { systemMemoryBytes?: number; dma?: typeof dma } = {};
  if (ram !== undefined || Object.keys(dma).length === 0) spec.systemMemoryBytes = ram ?? 0x140000;
  if (Object.keys(dma).length > 0) spec.dma = dma;
  return spec;
}

function tailOf(slot: number): number {
  return TAILS[slot % TAILS.length] ?? 2;
}

/** The configuration case `index` of a campaign uses. */
export function swarmSlotOf(index: number): number {
  return index % swarmSize;
}
