// Lifting a concrete trace (a corpus entry) into a program: each handle or address argument
// becomes "the k-th live object of its kind, at this offset" when the oracle has such an
// object at that point, so after mutation it still names a live object (or, when its
// producer was deleted, another one). Anything else stays a literal. Captured traces may use
// another implementation's values: they are translated to the oracle's first, as replay does.
import { describe } from '../model/calls.js';
import { RESOURCE_SPACE, type ArgDesc, type ResourceKind } from '../model/callTypes.js';
import { profileOf, resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import type { ModelState } from '../model/state.js';
import { isStruct, type Struct, type Value } from '../model/values.js';
import { AddressBook } from '../replay/addressBook.js';
import { planOf } from '../replay/callPlan.js';
import { learnProduced } from '../replay/learn.js';
import { translateArgs } from '../replay/translate.js';
import type { Trace } from '../trace/trace.js';
import { lit, type AbsCall, type Program, type Slot } from './program.js';
import { liveOf, liveSnapshot } from '../model/live.js';

function find(s: ModelState, res: ResourceKind, v: bigint): Slot | undefined {
  const list = liveOf(s, res);
  for (let i = 0; i < list.length; i++) {
    const o = list[i];
    if (o === undefined) continue;
    if (o.v === v) return { s: 'live', res, pick: i, place: { at: 'base' } };
    if (o.length > 0 && v > o.v && v < o.v + BigInt(o.length))
      return { s: 'live', res, pick: i, place: { at: 'off', off: v - o.v } };
  }
  return undefined;
}

function liftPointer(s: ModelState, res: ResourceKind, v: bigint): Slot {
  if (v === 0n) return lit(v);
  const fallback = RESOURCE_SPACE[res] === 'cpu' && res !== 'cpu' ? find(s, 'cpu', v) : undefined;
  return find(s, res, v) ?? fallback ?? lit(v);
}

function liftVrp(s: ModelState, v: Struct): Slot {
  const input = v['inputBuffer'];
  const length = v['inputBufferLength'];
  const ioControlCode = v['ioControlCode'];
  const same =
    typeof input === 'bigint' &&
    input !== 0n &&
    v['outputBuffer'] === input &&
    v['outputBufferLength'] === length &&
    v['statusBlock'] === 0n &&
    typeof length === 'number' &&
    typeof ioControlCode === 'number' &&
    Object.keys(v).length === 6;
  if (!same) return lit(v);
  const buf = find(s, 'cpu', input);
  return buf === undefined ? lit(v) : { s: 'vrp', buf, length, ioControlCode };
}

function liftArg(s: ModelState, a: ArgDesc, v: Value): Slot {
  if (a.role.kind === 'consumes' && typeof v === 'bigint') return liftPointer(s, a.role.res, v);
  if (a.type === 'vrp' && isStruct(v)) return liftVrp(s, v);
  return lit(v);
}

/** The trace as a program that materializes back to the same calls (in oracle values). */
export function liftTrace(trace: Trace): Program {
  const model = new Model({
    device: resolveDevice(trace.header.device),
    profile: profileOf(trace.header),
  });
  const book = new AddressBook(() => liveSnapshot(model.state));
  const out: AbsCall[] = [];
  for (const call of trace.calls) {
    const plan = planOf(call.fn);
    const desc = describe(call.fn);
    if (plan === undefined || desc === undefined) continue;
    const modelArgs = translateArgs(book, plan, call.args, 'trace', 'model');
    const args: Record<string, Slot> = {};
    for (const a of desc.args) {
      const v = modelArgs[a.name];
      if (v !== undefined) args[a.name] = liftArg(model.state, a, v);
    }
    out.push({ fn: call.fn, args, coherent: false });
    const stepped = model.step(call.fn, modelArgs);
    const got = {
      ...(stepped.ret === undefined ? {} : { ret: stepped.ret }),
      ...(stepped.out === undefined ? {} : { out: stepped.out }),
    };
    learnProduced(book, plan, call, stepped, got, modelArgs);
  }
  return out;
}
