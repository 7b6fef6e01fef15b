// fast-check arbitraries derived from the call table: one per call description, choosing the
// function (by swarm weight) and a slot per argument from its role, type and value hints.
// Slots are cheap to draw (one integer per handle or address, a constant per flag), since a
// fast-check value costs about a microsecond here: a program skeleton costs a few
// microseconds per call, and what it means is decided later, against the live model.
// The fuzzer itself draws through `drawProgram` and `drawCall` (draw.ts): the same integers
// from the same fc.Random in the same order, without fast-check's Value, tuple and map
// objects around each one (draw.test.ts holds the two to the same output).
import fc from 'fast-check';
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import { CALLS } from '../model/calls.js';
import {
  RESOURCE_SPACE,
  type ArgDesc,
  type CallDesc,
  type ResourceKind,
} from '../model/callTypes.js';
import type { Value } from '../model/values.js';
import { deviceDescription } from './producers.js';
import {
  BASE,
  lit,
  type AbsCall,
  type Hostile,
  type Place,
  type Program,
  type Slot,
  WILD,
} from './program.js';
import type { Swarm } from './weights.js';

export const WORD = 0x3fffffff;
const LENGTHS = [0x1000, 0, 1, 0x40000, 0x40001, 0x100000, 0xffffffff, 0x10, 0x1800, 0x3000];
export const IOCTLS = [0x230000, 0x232000, 0x23000c, 0];
/** Request-packet buffer lengths: mostly small (every byte is checked around the call). */
export const VRP_LENGTHS = [0x40, 0x10, 0x100, 0x1000, 0x40, 0x10, 0, 1, 0x40001, 0xffffffff];
const MAX_LENGTHS = [0x100000, 0x10000, 0x1000, 0, 0xffffffff, 0x2000];
const BYTE_LENGTHS = [1, 2, 4, 8, 16, 64, 256, 4096];
function placeOf(res: ResourceKind, sub: number, frac: number): Place {
  if (RESOURCE_SPACE[res] === 'handle' || sub < 5) return BASE;
  if (sub === 5) return { at: 'frac', frac, align: 8 };
  // Half the unaligned draws (a bit of `frac` decides) are a page's last byte: a byte-aligned
  // fraction lands there one time in 4096, and a buffer starting at page offset 0xfff was
  // never generated (session 34's blind probe).
  if (sub === 6)
    return (frac & 4) === 0 ? { at: 'frac', frac, align: 1 } : { at: 'pageLast', frac };
  return { at: 'end' };
}

/** How each of the four hostile draws of a slot is hostile (`sub & 3`). */
const HOW: readonly Hostile[] = ['null', 'stale', 'foreign', 'wild'];

/**
 * One integer decides a handle slot: live (which one, where in it) or, `hostility` times in
 * 1024, hostile (which way). A hostile slot stays hostile in a coherent call.
 */
export function decodeResource(res: ResourceKind, x: number, hostility: number): Slot {
  const pickN = (x >>> 10) & 7;
  const sub = (x >>> 13) & 7;
  const frac = ((x >>> 16) & 0x3fff) << 2;
  if ((x & 0x3ff) >= hostility)
    return { s: 'live', res, pick: pickN, place: placeOf(res, sub, frac) };
  // A list handle: one stale draw in two names a transfer not yet delivered instead.
  const how = res === 'sgList' && sub === 5 ? 'early' : (HOW[sub & 3] ?? 'null');
  const wild = WILD + BigInt(pickN * 0x1000 + (sub >> 2));
  return { s: 'hostile', how, res, pick: pickN, wild };
}

export function decodeBus(space: 'memory' | 'io' | 'any', x: number): Slot {
  const sub = x & 15;
  const pickN = (x >>> 4) & 7;
  const frac = ((x >>> 7) & 0x3fff) << 2;
  if (sub < 6) return { s: 'bus', space, pick: pickN, place: BASE };
  if (sub < 10) return { s: 'bus', space, pick: pickN, place: { at: 'frac', frac, align: 0x1000 } };
  if (sub === 10) return { s: 'bus', space, pick: pickN, place: { at: 'frac', frac, align: 1 } };
  if (sub === 11) return { s: 'bus', space, pick: pickN, place: { at: 'end' } };
  return { s: 'wild', v: [0x1000n, 0xffffffff00000000n, 0n, 0xdffff000n][sub - 12] ?? 0n };
}

export function decodeBytes(x: number): Uint8Array {
  // One write in 16 is empty (the `empty` branch; bits no other choice uses).
  const n = ((x >>> 14) & 15) === 0 ? 0 : (BYTE_LENGTHS[x & 7] ?? 1);
  const first = (x >>> 3) & 0xff;
  const step = (x >>> 11) & 7;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (first + i * step) & 0xff;
  return out;
}

export function decodeDesc(x: number): Value {
  if ((x & 15) === 0) return 0n;
  return deviceDescription((x & 16) === 0, MAX_LENGTHS[(x >>> 6) % MAX_LENGTHS.length] ?? 0);
}

/** Hint values three times over, then the hostile extras for the type. */
export function valuesFor(a: ArgDesc): readonly (Value | undefined)[] {
  if (a.name === 'inIoSpace')
    return [...Array.from({ length: 16 }, (_, i) => i), a.type === 'u8' ? 0xff : 0xffffffff];
  const hints: readonly Value[] = a.values ?? [];
  const extras: readonly Value[] =
    a.type === 'u32' || a.type === 'usize'
      ? a.values === undefined
        ? LENGTHS
        : [0, 0xffffffff, 0x1001]
      : a.type === 'u8'
        ? [0xff]
        : a.type === 'bool'
          ? [true, false]
          : a.type === 'i64'
            ? [0n, -1n]
            : [0n];
  const base = [...hints, ...hints, ...hints, ...extras];
  return a.optional === true ? [...base, undefined] : base;
}

/** Allocators' length arguments: they may also ask for all the RAM left (`room`). */
const ROOM_ARGS: ReadonlySet<string> = new Set(['desiredLength', 'numberOfBytes', 'size']);
const ROOM: Slot = { s: 'room' };

/** A literal argument's slots, one per value (valuesFor), plus `room` for an allocator's length. */
export function literalSlots(a: ArgDesc): readonly (Slot | undefined)[] {
  const slots = valuesFor(a).map((v) => (v === undefined ? undefined : lit(v)));
  return ROOM_ARGS.has(a.name) ? [...slots, ROOM] : slots;
}

/** The inputs of a call, in the order their slots are drawn. */
export const inputsOf = (desc: CallDesc): ArgDesc[] => desc.args.filter((a) => a.outOnly !== true);

function argArb(a: ArgDesc, sw: Swarm): fc.Arbitrary<Slot | undefined> {
  const role = a.role;
  if (role.kind === 'consumes')
    return fc.nat(WORD).map((x) => decodeResource(role.res, x, sw.hostility));
  if (role.kind === 'bus') return fc.nat(WORD).map((x) => decodeBus(role.space, x));
  switch (a.type) {
    case 'vrp':
      return fc
        .tuple(fc.nat(WORD), fc.constantFrom(...VRP_LENGTHS), fc.constantFrom(...IOCTLS))
        .map(([x, length, ioControlCode]): Slot =>
          (x & 15) === 0
            ? lit(0n)
            : {
                s: 'vrp',
                buf: decodeResource('cpu', x >>> 4, sw.hostility),
                length,
                ioControlCode,
              },
        );
    case 'devdesc':
      return fc.nat(0xffff).map((x) => lit(decodeDesc(x)));
    case 'bytes':
      return fc.nat(WORD).map((x) => lit(decodeBytes(x)));
    default:
      if (a.name === 'hwDeviceExtension') return fc.constant(lit(HW_DEVICE_EXTENSION));
      return fc.constantFrom(...literalSlots(a));
  }
}

const built = new WeakMap<Swarm, Map<string, fc.Arbitrary<AbsCall>>>();

/** anyCallArb, built once per configuration (arbitraries are immutable). */
function cached(sw: Swarm, key: string, build: () => fc.Arbitrary<AbsCall>): fc.Arbitrary<AbsCall> {
  let m = built.get(sw);
  if (m === undefined) {
    m = new Map();
    built.set(sw, m);
  }
  let arb = m.get(key);
  if (arb === undefined) {
    arb = build();
    m.set(key, arb);
  }
  return arb;
}

/**
 * Per (hostility, coherence, function): a call's arbitrary depends on nothing else of the
 * configuration, so the 8 slots of a seed, and other seeds, share them (building one set took
 * about 0.4 ms, paid in a campaign's first cases). Bounded: a few values of each.
 */
const callArbs = new Map<string, fc.Arbitrary<AbsCall>>();

export function callArb(desc: CallDesc, sw: Swarm): fc.Arbitrary<AbsCall> {
  const key = `${sw.hostility}:${sw.coherentPct}:${desc.fn}`;
  let arb = callArbs.get(key);
  if (arb === undefined) {
    arb = buildCallArb(desc, sw);
    callArbs.set(key, arb);
  }
  return arb;
}

function buildCallArb(desc: CallDesc, sw: Swarm): fc.Arbitrary<AbsCall> {
  const inputs = inputsOf(desc);
  return fc
    .tuple(fc.nat(99), ...inputs.map((a) => argArb(a, sw)))
    .map(([coherent, ...slots]): AbsCall => {
      const args: Record<string, Slot> = {};
      inputs.forEach((a, i) => {
        const s = slots[i];
        if (s !== undefined) args[a.name] = s;
      });
      return { fn: desc.fn, args, coherent: coherent < sw.coherentPct };
    });
}

/** Any call, by the configuration's weights (switched-off calls never appear). */
export function anyCallArb(sw: Swarm): fc.Arbitrary<AbsCall> {
  return cached(sw, '*', () => buildAnyCallArb(sw));
}

function buildAnyCallArb(sw: Swarm): fc.Arbitrary<AbsCall> {
  const choices = choicesOf(sw).map((c) => ({ arbitrary: callArb(c.desc, sw), weight: c.weight }));
  return fc.oneof(...choices);
}

/** The calls a swarm configuration draws from, and their weights (those above 0), in order. */
export function choicesOf(sw: Swarm): { readonly desc: CallDesc; readonly weight: number }[] {
  return CALLS.flatMap((c, i) => {
    const weight = sw.weights[i] ?? 0;
    return weight > 0 ? [{ desc: c, weight }] : [];
  });
}

/** Programs' lengths: 1 to this. */
export const lengthMax = (callsMax: number): number => Math.max(1, callsMax);

export function programArb(sw: Swarm, callsMax: number): fc.Arbitrary<Program> {
  return fc.array(anyCallArb(sw), { minLength: 1, maxLength: lengthMax(callsMax), size: 'max' });
}
