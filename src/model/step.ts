// step(): one call against the model. The handler table is keyed by the names in calls.ts
// (CallName): a function described but not modelled, or a handler for one the table lacks,
// does not compile.
import { poison } from './args.js';
import { describe, type CallName } from './calls.js';
import type { OutDesc } from './callTypes.js';
import * as adapters from './handlers/adapters.js';
import * as common from './handlers/commonBuffers.js';
import * as events from './handlers/events.js';
import * as legacy from './handlers/legacy.js';
import * as locking from './handlers/locking.js';
import * as mapping from './handlers/mapping.js';
import * as memory from './handlers/memoryEvents.js';
import * as packet from './handlers/packetDma.js';
import * as pool from './handlers/pool.js';
import { misuse, type StepResult } from './result.js';
import type { ModelState } from './state.js';
import type { Args, Value } from './values.js';

export type Handler = (s: ModelState, a: Args) => StepResult;

// Keyed by CallName: a function the table describes and no handler models does not compile.
export const HANDLERS: Readonly<Record<CallName, Handler>> = {
  VideoPortGetDmaAdapter: adapters.getDmaAdapter,
  VideoPortPutDmaAdapter: adapters.putDmaAdapter,
  VideoPortAllocateCommonBuffer: common.allocateCommonBuffer,
  VideoPortReleaseCommonBuffer: common.releaseCommonBuffer,
  VideoPortGetCommonBuffer: common.getCommonBuffer,
  VideoPortFreeCommonBuffer: common.freeCommonBuffer,
  VideoPortAllocateContiguousMemory: common.allocateContiguousMemory,
  VideoPortLockBuffer: locking.lockBuffer,
  VideoPortUnlockBuffer: locking.unlockBuffer,
  VideoPortLockPages: locking.lockPages,
  VideoPortUnlockPages: locking.unlockPages,
  VideoPortStartDma: packet.startDma,
  VideoPortCompleteDma: packet.completeDma,
  VideoPortDoDma: legacy.doDma,
  VideoPortGetDmaContext: legacy.getDmaContext,
  VideoPortSetDmaContext: legacy.setDmaContext,
  VideoPortSignalDmaComplete: legacy.signalDmaComplete,
  VideoPortAssociateEventsWithDmaHandle: legacy.associateEventsWithDmaHandle,
  VideoPortGetBytesUsed: legacy.getBytesUsed,
  VideoPortSetBytesUsed: legacy.setBytesUsed,
  VideoPortGetMdl: legacy.getMdl,
  VideoPortMapDmaMemory: legacy.mapDmaMemory,
  VideoPortUnmapDmaMemory: legacy.unmapDmaMemory,
  VideoPortGetDeviceBase: mapping.getDeviceBase,
  VideoPortFreeDeviceBase: mapping.freeDeviceBase,
  VideoPortMapMemory: mapping.mapMemory,
  VideoPortUnmapMemory: mapping.unmapMemory,
  VideoPortMapBankedMemory: mapping.mapBankedMemory,
  VideoPortAllocatePool: pool.allocatePool,
  VideoPortFreePool: pool.freePool,
  VideoPortAllocateBuffer: pool.allocateBuffer,
  VideoPortReleaseBuffer: pool.releaseBuffer,
  VideoPortCreateEvent: events.createEvent,
  VideoPortDeleteEvent: events.deleteEvent,
  VideoPortSetEvent: events.setEvent,
  VideoPortClearEvent: events.clearEvent,
  VideoPortReadStateEvent: events.readStateEvent,
  VideoPortWaitForSingleObject: events.waitForSingleObject,
  '@write': memory.write,
  '@read': memory.read,
  '@executeDma': packet.executeDma,
  '@deviceDma': packet.deviceDma,
};

/** A step's outcome with every out-parameter filled: written ones, else their entry values. */
export interface Stepped {
  readonly ret?: Value;
  readonly out?: Args;
  readonly branch: string;
  readonly misuse?: string;
  /** Out-parameters left to the implementation on this path (StepResult.unspecified). */
  readonly unspecified?: readonly string[];
}

interface Plan {
  readonly handler: Handler | undefined;
  readonly outs: readonly OutDesc[];
}

/** Handler and out-parameters per function name, looked up once. */
const PLANS = new Map<string, Plan>();

function planOf(fn: string): Plan {
  let plan = PLANS.get(fn);
  if (plan === undefined) {
    plan = {
      handler: (HANDLERS as Partial<Record<string, Handler>>)[fn],
      outs: describe(fn)?.out ?? [],
    };
    PLANS.set(fn, plan);
  }
  return plan;
}

export function step(s: ModelState, fn: string, a: Args): Stepped {
  s.tick++;
  const { handler, outs } = planOf(fn);
  const r = handler === undefined ? misuse('unknown-function') : handler(s, a);
  // With no out-parameter to fill, the handler's result already is the Stepped, keys in the
  // same order (ok, misuse and leaving build them so): no second object per step.
  if (outs.length === 0 && r.wrote === undefined) return r;
  const out = outs.length > 0 ? filled(outs, r.wrote, a) : undefined;
  // The common shapes made whole in one literal: a property added after an object literal's
  // own goes to a separate property array, a second allocation per step.
  if (r.misuse === undefined && r.unspecified === undefined && out !== undefined)
    return r.ret === undefined ? { branch: r.branch, out } : { branch: r.branch, out, ret: r.ret };
  const result: { -readonly [K in keyof Stepped]: Stepped[K] } = { branch: r.branch };
  if (out !== undefined) result.out = out;
  if (r.ret !== undefined) result.ret = r.ret;
  if (r.misuse !== undefined) result.misuse = r.misuse;
  if (r.unspecified !== undefined) result.unspecified = r.unspecified;
  return result;
}

/** Every out-parameter in the table's order: written, else its entry value, else poison. */
function filled(outs: readonly OutDesc[], wrote: Args | undefined, a: Args): Args {
  const out: Record<string, Value> = {};
  for (const o of outs) out[o.name] = wrote?.[o.name] ?? a[o.name] ?? poison(o.type);
  return out;
}
