// Calls over bytes that are the implementation's: the scatter/gather list LockPages returns.
// Its contents (physical addresses) are, and so is its size: one element per physically
// contiguous run of the locked pages (docs/checks.md), so the oracle's list may hold
// three elements where the target's, as correct, holds one.
//
// - A @read of a list sees whatever the target put there: its answer is not compared.
// - A @deviceDma of a transfer from an MDL over a list sends its bytes to the device, where
//   they are the implementation's too and go on to wherever the device puts them: when the
//   target's differ from the oracle's, the oracle stops being compared there (detached).
// - A call over bytes of the oracle's list that the target's list does not have (LockBuffer of
//   the whole list, a @write near its end) asks the two different questions, and the
//   documentation answers neither for the target: its list ends there, and what lies beyond
//   is not the driver's. So the oracle stops being compared at that call (the replay detaches,
//   as after misuse); the obsolete-call checks go on. Reaching no further than the target's
//   list, the call is compared as any other; further than the oracle's, the oracle judges it
//   (misuse). Translating the length instead (the target's whole list for the oracle's) would
//   leave the two MDLs different lengths, and every StartDma on them a different grant.
import type { Model } from '../model/model.js';
import { isStruct, type Args, type Value } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import { andThen, comparable, firstDiffWithModel, readTargetMaybe, type Maybe } from './memory.js';
import type { Target } from './target.js';

/** The bytes a call reaches from an address argument, in the oracle's address space. */
export function reachOf(fn: string, a: Args): [bigint, number] | undefined {
  switch (fn) {
    case 'VideoPortLockBuffer':
      return span(a['baseAddress'], a['length']);
    case 'VideoPortLockPages': {
      const vrp = a['pVrp'];
      return isStruct(vrp) ? span(vrp['inputBuffer'], vrp['inputBufferLength']) : undefined;
    }
    case '@write': {
      const data = a['data'];
      return data instanceof Uint8Array ? span(a['va'], data.length) : undefined;
    }
    default:
      return undefined;
  }
}

export function span(
  va: Value | undefined,
  length: Value | undefined,
): [bigint, number] | undefined {
  return typeof va === 'bigint' && typeof length === 'number' && length > 0
    ? [va, length]
    : undefined;
}

/** The oracle cannot judge a call: skip comparing its answer, or stop comparing (and why). */
export type Unjudged = { readonly skip: 'read' } | { readonly detach: string };

const READ: Unjudged = { skip: 'read' };

/**
 * Whether the oracle cannot judge this call (its arguments in the oracle's space): a @read of
 * a list, or a call that reaches past the end of the target's list and no further than the
 * end of the oracle's. Undefined when it can.
 */
export function implementationBytes(
  model: Model,
  book: AddressBook,
  fn: string,
  modelArgs: Args,
): Unjudged | undefined {
  const va = modelArgs['va'];
  if (fn === '@read') return typeof va === 'bigint' && !comparable(model, va) ? READ : undefined;
  const reach = reachOf(fn, modelArgs);
  if (reach === undefined) return undefined;
  const r = book.resized('cpu', 'model', reach[0]);
  if (r === undefined) return undefined;
  const end = r.offset + reach[1];
  if (end <= r.targetLength || end > r.length) return undefined;
  return {
    detach: `it reaches byte ${end - 1} of a scatter/gather list whose size is the implementation's; the target's holds ${r.targetLength} bytes, the oracle's ${r.length}`,
  };
}

/**
 * After a host-to-device @deviceDma from an MDL over a list, why the oracle cannot judge on
 * when the bytes it sent differ between the oracle's list and the target's: they now sit in
 * device memory, mapped or not, where no comparison could tell them from a fault, and flow on
 * from there (into a view mapped later, back into host memory). Undefined, synchronously, for
 * every other call.
 */
export function listBytesSent(
  model: Model,
  target: Target,
  book: AddressBook,
  fn: string,
  modelArgs: Args,
): Maybe<string | undefined> | undefined {
  if (fn !== '@deviceDma') return undefined;
  const sg = modelArgs['sgList'];
  const t = typeof sg === 'bigint' ? model.state.transfers.get(sg) : undefined;
  const mdl = t?.writeToDevice === true ? model.state.mdls.get(t.mdl) : undefined;
  if (t === undefined || mdl === undefined || comparable(model, mdl.va)) return undefined;
  const address = mdl.va + BigInt(t.offset);
  return andThen(readTargetMaybe(target, book, { address, length: t.length }), (got) =>
    firstDiffWithModel(model, address, t.length, got) === undefined
      ? undefined
      : "it sends the device bytes of a scatter/gather list, physical addresses that are each implementation's own, and the target's differ from the oracle's",
  );
}
