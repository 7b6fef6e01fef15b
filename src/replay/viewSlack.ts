// Bytes of a view's pages outside the bytes the driver asked for. A port maps whole pages, and
// MapMemory's *Length is "maybe rounded up", but the driver may access a view only within the
// length it asked for (spec §1 F, §4 invariant 4): what lies in the rest of the page is each
// implementation's. The oracle's view holds the requested bytes only (as the address book's
// does), and answers *Length to the end of the last page; the rest of that page is, to it, the
// process's own demand-zero memory, where the target may have anything (ReactOS's user view of
// I/O space is the port number itself, so the trace's address lands in another view of it).
//
// - A @read there is not compared (nothing changes: the replay compares on after it).
// - A @write, LockBuffer or LockPages reaching there asks the two different questions, which
//   the documentation answers for neither, so the oracle stops being compared at that call
//   (detached, `latitude`), as for a list whose size is the implementation's (listReach.ts).
//
// A @deviceDma needs no rule of its own: its host bytes are an MDL's, judged at the LockBuffer
// or LockPages that locked them, and its device bytes are bus memory, which a view shows on
// both sides only within the requested length, past which a @read is not compared.
// Asked only when the oracle found no misuse: an access running from a view's bytes into the
// rest of its page is already one (write-unmapped), and the oracle judges it.
import { PAGE_SIZE } from '../core/limits.js';
import type { Model } from '../model/model.js';
import type { View } from '../model/state.js';
import type { Args } from '../model/values.js';
import { reachOf, span, type Unjudged } from './listReach.js';

const PAGE_MASK = BigInt(PAGE_SIZE - 1);

const READ: Unjudged = { skip: 'read' };

/** The view one of whose pages [va, end) touches outside its bytes, if any. */
function slackView(views: Iterable<View>, va: bigint, end: bigint): View | undefined {
  for (const v of views) {
    const vEnd = v.va + BigInt(v.length);
    const first = v.va & ~PAGE_MASK;
    const last = (vEnd + PAGE_MASK) & ~PAGE_MASK;
    if (va < last && end > first && (va < v.va || end > vEnd)) return v;
  }
  return undefined;
}

function why(v: View, va: bigint, end: bigint): string {
  const which = v.process === 0n ? 'a view' : 'a user view';
  const asked = `${v.length} byte${v.length === 1 ? '' : 's'}`;
  if (va < v.va)
    return `it reaches ${Number(v.va - va)} bytes before the start of ${which} the driver asked ${asked} of, in its first page: the driver may access a view only within what it asked for (spec §1 F), and what a port maps around it is its own`;
  const pageOff = Number(v.va & PAGE_MASK);
  const rounded = Math.ceil((pageOff + v.length) / PAGE_SIZE) * PAGE_SIZE - pageOff;
  return `it reaches byte ${Number(end - v.va) - 1} of ${which} the driver asked ${asked} of, inside the page the oracle rounds its *Length to (${rounded} bytes): the driver may access a view only within the length it asked for (spec §1 F), and what a port maps past it is its own`;
}

/**
 * Whether the call (its arguments in the oracle's space, the oracle having found no misuse)
 * reaches a view's pages outside the bytes the driver asked for. Undefined when it does not:
 * synchronously and without a lookup for every call but @write, @read, LockBuffer, LockPages.
 */
export function viewSlack(model: Model, fn: string, modelArgs: Args): Unjudged | undefined {
  const reach =
    fn === '@read' ? span(modelArgs['va'], modelArgs['length']) : reachOf(fn, modelArgs);
  if (reach === undefined) return undefined;
  const s = model.state;
  const [va, length] = reach;
  // Held by one live range (nearly every access), or sharing no page with any: no view's rest.
  if (s.views.size === 0 || s.ranges.find(va, length) !== undefined) return undefined;
  const end = va + BigInt(length);
  const first = va & ~PAGE_MASK;
  if (!s.ranges.overlaps(first, Number(((end + PAGE_MASK) & ~PAGE_MASK) - first))) return undefined;
  const v = slackView(s.views.values(), va, end);
  if (v === undefined) return undefined;
  return fn === '@read' ? READ : { detach: why(v, va, end) };
}
