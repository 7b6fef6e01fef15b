// How violations name addresses and handles (docs/checks.md): as the target saw
// them, the values its maintainer finds in their own logs or sets a watchpoint on, followed by
// the trace's in parentheses where that differs (the value the trace file names). The oracle's
// own numbers are internal and never shown as such; only an object the oracle made and the
// target has no counterpart of (a new buffer the target failed to return) is named by them.
import type { AddressSpace } from '../model/callTypes.js';
import type { Value } from '../model/values.js';
import type { AddressBook } from './addressBook.js';
import { show } from './show.js';
import { translateValue } from './translate.js';

/** The address space a value translates in ('none': plain data). */
export type ValueSpace = AddressSpace | 'none';

/** "T", or "T (trace R)" when the trace's spelling differs from the target's. */
export function withTrace(target: string, trace: string): string {
  return target === trace ? target : `${target} (trace ${trace})`;
}

export function hexText(v: bigint): string {
  return `0x${v.toString(16)}`;
}

/**
 * A value as a message shows it: `from` says whose space it is in (the oracle's, or the
 * target's own answer); it is shown as the target's, with the trace's when different.
 */
export function valueText(
  book: AddressBook,
  space: ValueSpace,
  from: 'model' | 'target',
  v: Value | undefined,
): string {
  if (v === undefined || space === 'none') return show(v);
  const target = from === 'target' ? v : translateValue(book, space, 'model', 'target', v);
  return withTrace(show(target), show(translateValue(book, space, from, 'trace', v)));
}

/** An oracle-space CPU address as the target's, with the trace's when different. */
export function addressText(book: AddressBook, modelAddress: bigint): string {
  return withTrace(
    hexText(book.map('cpu', 'model', 'target', modelAddress)),
    hexText(book.map('cpu', 'model', 'trace', modelAddress)),
  );
}

/** An oracle-space CPU address as the target's, alone ("0x..."): a violation's `field`. */
export function targetAddressText(book: AddressBook, modelAddress: bigint): string {
  return hexText(book.map('cpu', 'model', 'target', modelAddress));
}
