// Moving values between the trace's, the oracle's and the target's address spaces.
import type { AddressSpace } from '../model/callTypes.js';
import { isStruct, type Args, type Struct, type Value } from '../model/values.js';
import type { AddressBook, Side } from './addressBook.js';
import type { CallPlan, ValuePlan } from './callPlan.js';

const VRP_POINTERS = ['statusBlock', 'inputBuffer', 'outputBuffer'] as const;

/** The space a member of a structure argument translates in (the request packet's pointers). */
export function memberSpace(member: string): 'cpu' | 'none' {
  return (VRP_POINTERS as readonly string[]).includes(member) ? 'cpu' : 'none';
}

export function translateValue(
  book: AddressBook,
  space: AddressSpace | 'none',
  from: Side,
  to: Side,
  v: Value,
): Value {
  if (space === 'none' || !book.moves(from, to)) return v;
  if (typeof v === 'bigint') return book.map(space, from, to, v);
  if (Array.isArray(v)) {
    return (v as readonly Struct[]).map((e) => {
      const address = e['address'];
      return typeof address === 'bigint'
        ? { ...e, address: book.map(space, from, to, address) }
        : e;
    });
  }
  if (typeof v === 'object' && !(v instanceof Uint8Array)) {
    let copy: Record<string, bigint | number | boolean | Uint8Array> | undefined;
    const s = v as Struct;
    for (const f of VRP_POINTERS) {
      const p = s[f];
      if (typeof p !== 'bigint') continue;
      const t = book.map('cpu', from, to, p);
      if (t !== p) (copy ??= { ...s })[f] = t;
    }
    return copy ?? v;
  }
  return v;
}

/** The call's arguments in another side's address space; the same object if nothing moves. */
export function translateArgs(
  book: AddressBook,
  plan: CallPlan,
  args: Args,
  from: Side,
  to: Side,
): Args {
  if (!book.moves(from, to)) return args;
  let copy: Record<string, Value> | undefined;
  for (const p of plan.translated) {
    const v = args[p.name];
    if (v === undefined) continue;
    const t = translateValue(book, p.space, from, to, v);
    if (t !== v) (copy ??= { ...args })[p.name] = t;
  }
  return copy ?? args;
}

export function translateOut(
  book: AddressBook,
  p: ValuePlan,
  v: Value,
  from: Side,
  to: Side,
): Value {
  return translateValue(book, p.space, from, to, v);
}

/**
 * A target's answer `v` in the oracle's space, where `sent` (the target's entry value of the
 * same parameter) and `given` (the oracle's) say what the call was given: a value, or request
 * packet pointer, the target hands back as it got it is the oracle's as given, not whatever the
 * book maps it back to. Once one target value stands for two oracle objects (a reused handle,
 * ReactOS's refcounted views), the reverse map names the newer one, a change never made.
 */
export function answerToModel(
  book: AddressBook,
  space: AddressSpace | 'none',
  v: Value,
  sent: Value | undefined,
  given: Value | undefined,
): Value {
  if (space === 'none') return v;
  if (typeof v === 'bigint')
    return v === sent && typeof given === 'bigint' ? given : book.map(space, 'target', 'model', v);
  if (!isStruct(v) || !isStruct(sent) || !isStruct(given))
    return translateValue(book, space, 'target', 'model', v);
  let copy: Record<string, bigint | number | boolean | Uint8Array> | undefined;
  for (const f of VRP_POINTERS) {
    const p = v[f];
    if (typeof p !== 'bigint') continue;
    const g = given[f];
    const t = p === sent[f] && typeof g === 'bigint' ? g : book.map('cpu', 'target', 'model', p);
    if (t !== p) (copy ??= { ...v })[f] = t;
  }
  return copy ?? v;
}
