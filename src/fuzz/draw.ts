// The fuzzer's programs and calls drawn straight from an fc.Random: for each argument the very
// integers arbitraries.ts's arbitraries take from it (fc.nat is one nextInt over its range,
// fc.constantFrom one over its indices unless it has a single value, fc.oneof one over the
// total weight, fc.array one for the length, then its items; without bias, which is how the
// fuzzer generates), decoded by the same functions. Generated through the arbitraries, each
// integer came wrapped in a fast-check Value, a tuple and a mapped Value: a fifth of what a
// case allocated and about a tenth of its time. draw.test.ts checks both give the same
// programs; the arbitraries stay for the fast-check baseline and the property tests.
import type fc from 'fast-check';
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import type { ArgDesc, CallDesc } from '../model/callTypes.js';
import {
  choicesOf,
  decodeBus,
  decodeBytes,
  decodeDesc,
  decodeResource,
  inputsOf,
  IOCTLS,
  lengthMax,
  literalSlots,
  VRP_LENGTHS,
  WORD,
} from './arbitraries.js';
import { lit, type AbsCall, type Program, type Slot } from './program.js';
import type { Swarm } from './weights.js';

type DrawSlot = (r: fc.Random) => Slot | undefined;
export type DrawCall = (r: fc.Random) => AbsCall;

/** The slot argArb would generate from `r`, `a` and `sw`'s hostility. */
function argDrawer(a: ArgDesc, hostility: number): DrawSlot {
  const role = a.role;
  if (role.kind === 'consumes')
    return (r) => decodeResource(role.res, r.nextInt(0, WORD), hostility);
  if (role.kind === 'bus') return (r) => decodeBus(role.space, r.nextInt(0, WORD));
  switch (a.type) {
    case 'vrp':
      return (r): Slot => {
        const x = r.nextInt(0, WORD);
        const length = VRP_LENGTHS[r.nextInt(0, VRP_LENGTHS.length - 1)] as number;
        const ioControlCode = IOCTLS[r.nextInt(0, IOCTLS.length - 1)] as number;
        return (x & 15) === 0
          ? lit(0n)
          : { s: 'vrp', buf: decodeResource('cpu', x >>> 4, hostility), length, ioControlCode };
      };
    case 'devdesc':
      return (r) => lit(decodeDesc(r.nextInt(0, 0xffff)));
    case 'bytes':
      return (r) => lit(decodeBytes(r.nextInt(0, WORD)));
    default: {
      if (a.name === 'hwDeviceExtension') {
        const only = lit(HW_DEVICE_EXTENSION);
        return () => only;
      }
      // Slots are immutable: one per value, shared by every call that draws it.
      const slots = literalSlots(a);
      if (slots.length === 1) return () => slots[0];
      const last = slots.length - 1;
      return (r) => slots[r.nextInt(0, last)];
    }
  }
}

function buildCallDrawer(desc: CallDesc, sw: Swarm): DrawCall {
  const inputs = inputsOf(desc);
  const names = inputs.map((a) => a.name);
  const draws = inputs.map((a) => argDrawer(a, sw.hostility));
  const { fn } = desc;
  const coherentPct = sw.coherentPct;
  return (r) => {
    const coherent = r.nextInt(0, 99);
    const args: Record<string, Slot> = {};
    for (let i = 0; i < draws.length; i++) {
      const s = (draws[i] as DrawSlot)(r);
      if (s !== undefined) args[names[i] as string] = s;
    }
    return { fn, args, coherent: coherent < coherentPct };
  };
}

/**
 * Per configuration and function: looked up for each call a mutation inserts or changes, so
 * by object rather than by a key string built each time (a drawer costs little to build).
 */
const callDrawers = new WeakMap<Swarm, Map<CallDesc, DrawCall>>();

/** What callArb(desc, sw) generates, drawn directly. */
export function callDrawer(desc: CallDesc, sw: Swarm): DrawCall {
  let bySwarm = callDrawers.get(sw);
  if (bySwarm === undefined) callDrawers.set(sw, (bySwarm = new Map<CallDesc, DrawCall>()));
  let d = bySwarm.get(desc);
  if (d === undefined) {
    d = buildCallDrawer(desc, sw);
    bySwarm.set(desc, d);
  }
  return d;
}

const anyDrawers = new WeakMap<Swarm, DrawCall>();

/** What anyCallArb(sw) generates (fc.oneof by weight), drawn directly. */
export function anyCallDrawer(sw: Swarm): DrawCall {
  let d = anyDrawers.get(sw);
  if (d === undefined) {
    const choices = choicesOf(sw);
    const draws = choices.map((c) => callDrawer(c.desc, sw));
    const upTo: number[] = [];
    let total = 0;
    for (const c of choices) upTo.push((total += c.weight));
    const last = total - 1;
    d = (r): AbsCall => {
      const at = r.nextInt(0, last);
      let i = 0;
      while (at >= (upTo[i] as number)) i++;
      return (draws[i] as DrawCall)(r);
    };
    anyDrawers.set(sw, d);
  }
  return d;
}

/** What programArb(sw, callsMax) generates, drawn directly. */
export function drawProgram(sw: Swarm, callsMax: number, r: fc.Random): Program {
  const draw = anyCallDrawer(sw);
  const n = r.nextInt(1, lengthMax(callsMax));
  const p: AbsCall[] = [];
  for (let i = 0; i < n; i++) p.push(draw(r));
  return p;
}
