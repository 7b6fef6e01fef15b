// Learning produced values: after each call, every handle or range the call produced is
// entered in the address book under the trace's name for it (recorded, or the oracle's when
// the trace recorded nothing), with the oracle's and the target's values, and the target's
// extent where the API lets it differ from the oracle's (listReach.ts).
import { POISON_PTR } from '../model/args.js';
import { RESOURCE_SPACE, type Produces } from '../model/callTypes.js';
import type { Stepped } from '../model/step.js';
import {
  isStruct,
  valueEquals,
  type Args,
  type CallOutcome,
  type Struct,
  type TraceCall,
  type Value,
} from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import type { CallPlan } from './callPlan.js';
import { watchClash, type ClashWatch } from './clash.js';

function extentOf(p: Produces, modelArgs: Args, modelOut: Args | undefined): number {
  if (p.extent === undefined) return 0;
  const v = p.extent.startsWith('out.') ? modelOut?.[p.extent.slice(4)] : modelArgs[p.extent];
  return typeof v === 'number' ? v : 0;
}

function learnOne(
  book: AddressBook,
  p: Produces,
  trace: Value | undefined,
  model: Value | undefined,
  target: Value | undefined,
  length: number,
  targetLength?: Value,
  watch?: ClashWatch,
  out?: string,
  member?: string,
): void {
  // The poison is an out-only handle the oracle did not write: nothing to pair a target's with.
  if (typeof model !== 'bigint' || typeof target !== 'bigint') return;
  if (model === 0n || target === 0n || model === POISON_PTR) return;
  const recorded = typeof trace === 'bigint' && trace !== 0n;
  const name = recorded ? trace : model;
  const theirs = typeof targetLength === 'number' ? targetLength : undefined;
  const space = RESOURCE_SPACE[p.res];
  if (watch !== undefined) {
    if (recorded && watch.trace)
      watchClash(book, watch, space, 'trace', name, p.res, model, out, member);
    if (watch.target) watchClash(book, watch, space, 'target', target, p.res, model, out, member);
  }
  book.learn(space, name, model, target, length, p.res, theirs, watch?.index);
}

function field(v: Value | undefined, f: string): Value | undefined {
  return isStruct(v) ? v[f] : undefined;
}

function learnElements(
  book: AddressBook,
  p: Produces,
  trace: Value | undefined,
  model: Value | undefined,
  target: Value | undefined,
): void {
  // Elements pair up by position only when every side split the transfer the same way; the
  // split follows physical layout, which is the implementation's. Nothing consumes element
  // addresses, so skipping an unpairable list loses no translation.
  if (!Array.isArray(model) || !Array.isArray(target) || model.length !== target.length) return;
  if (Array.isArray(trace) && trace.length !== model.length) return;
  const m = model as readonly Struct[];
  const t = target as readonly Struct[];
  const r = Array.isArray(trace) ? (trace as readonly Struct[]) : m;
  m.forEach((e, i) => {
    const length = e['length'];
    learnOne(
      book,
      p,
      r[i]?.['address'],
      e['address'],
      t[i]?.['address'],
      typeof length === 'number' ? length : 0,
    );
  });
}

/**
 * Whether the oracle produced an out-parameter: not when the call left it undefined (a failed
 * MapMemory: any value allowed) or as the call gave it. Learned, the target's junk there would
 * be paired with the driver's entry value (MapMemory's process handle) and stand for it in
 * every later argument that passes it.
 */
function produced(stepped: Stepped, modelArgs: Args, name: string): boolean {
  if (stepped.unspecified?.includes(name) === true) return false;
  const given = modelArgs[name];
  return given === undefined || !valueEquals(given, stepped.out?.[name] ?? given);
}

export function learnProduced(
  book: AddressBook,
  plan: CallPlan,
  call: TraceCall,
  stepped: Stepped,
  got: CallOutcome,
  modelArgs: Args,
  watch?: ClashWatch,
): void {
  const r = plan.ret;
  if (r?.produces !== undefined) {
    learnOne(
      book,
      r.produces,
      call.ret,
      stepped.ret,
      got.ret,
      extentOf(r.produces, modelArgs, stepped.out),
      undefined,
      watch,
    );
  }
  for (const o of plan.outs) {
    if (o.produces !== undefined && produced(stepped, modelArgs, o.name)) {
      learnOne(
        book,
        o.produces,
        call.out?.[o.name],
        stepped.out?.[o.name],
        got.out?.[o.name],
        extentOf(o.produces, modelArgs, stepped.out),
        undefined,
        watch,
        o.name,
      );
    }
    if (o.fieldProducesList === undefined) continue;
    for (const [f, p] of o.fieldProducesList) {
      if (o.type === 'sglist') {
        learnElements(book, p, call.out?.[o.name], stepped.out?.[o.name], got.out?.[o.name]);
        continue;
      }
      const modelStruct = stepped.out?.[o.name];
      // An in/out structure's field the oracle left as the call gave it (a LockPages that
      // failed, OutputBuffer untouched) was not produced: learned, any pointer the driver
      // passed would become a range of whatever OutputBufferLength it passed (4 GiB, say),
      // newer than the buffers it overlaps, and translate their addresses to itself.
      const given = field(modelArgs[o.name], f);
      if (given !== undefined && valueEquals(given, field(modelStruct, f))) continue;
      const extent = p.extent === undefined ? undefined : field(modelStruct, p.extent);
      const length = typeof extent === 'number' ? extent : 0;
      // A size the API leaves to the implementation (a list's, compared by a rule of its own):
      // the target's may be another, and a later call must not reach past its end unnoticed.
      const theirs =
        p.extent !== undefined && (o.fieldCompare?.[p.extent] ?? 'exact') !== 'exact'
          ? field(got.out?.[o.name], p.extent)
          : undefined;
      learnOne(
        book,
        p,
        field(call.out?.[o.name], f),
        field(modelStruct, f),
        field(got.out?.[o.name], f),
        length,
        theirs,
        watch,
        o.name,
        f,
      );
    }
  }
}
