// A memory difference as a violation shows it (docs/checks.md): where, as the target
// has the address, then the trace; how far the differences reach; and up to 16 bytes of both
// sides around the first, in hex words.
import type { AddressBook } from './addressBook.js';
import { hexText, targetAddressText, withTrace } from './addressText.js';
import { hexWords } from './byteExtent.js';
import type { ByteDiff } from './memory.js';
import { violation, type Violation } from './violation.js';

export interface DiffText {
  /** The differing bytes' addresses, the target's then the trace's ("0x...5 (trace 0x...5)"). */
  readonly where: string;
  /** The target's address of the first differing byte: the violation's field. */
  readonly field: string;
  /** "4 bytes differ" when more than one does. */
  readonly count?: string;
  /** The bytes shown: "16 bytes from 0x..." (absent when a side had none, or one was compared). */
  readonly shown?: string;
  /** Each side's bytes shown, in hex words, or the byte texts of ByteDiff. */
  readonly expected: string;
  readonly actual: string;
}

function range(book: AddressBook, side: 'target' | 'trace', first: bigint, last: bigint): string {
  const a = hexText(book.map('cpu', 'model', side, first));
  return first === last ? a : `${a}..${hexText(book.map('cpu', 'model', side, last))}`;
}

export function diffText(book: AddressBook, d: ByteDiff): DiffText {
  const field = targetAddressText(book, d.address);
  const e = d.extent;
  const last = e?.last ?? d.address;
  const where = withTrace(
    range(book, 'target', d.address, last),
    range(book, 'trace', d.address, last),
  );
  // One byte compared: ByteDiff's own texts ("0x00", "0x5a") say it all.
  if (e === undefined || e.expected.length < 2)
    return { where, field, expected: d.expected, actual: d.actual };
  const from = book.map('cpu', 'model', 'target', e.from);
  return {
    where,
    field,
    ...(e.count > 1 ? { count: `${e.count} bytes differ` } : {}),
    shown: `${e.expected.length} bytes from ${hexText(from)}`,
    expected: hexWords(from, e.expected),
    actual: hexWords(from, e.actual),
  };
}

/** The parenthesized notes after `where`: the count, then how the difference was found. */
export function notes(t: DiffText, how: string): string {
  return t.count === undefined ? how : `${t.count}; ${how}`;
}

/** The memory-mismatch violation for a difference found at call `index`, `how`. */
export function mismatchViolation(
  book: AddressBook,
  d: ByteDiff,
  fn: string,
  index: number,
  how: string,
  late: boolean,
): Violation {
  const t = diffText(book, d);
  const message =
    t.shown === undefined
      ? `memory at ${t.where} is ${t.actual}; the oracle says ${t.expected} (${how})`
      : `memory at ${t.where} differs from the oracle (${notes(t, how)}): ${t.shown} are ${t.actual}; the oracle says ${t.expected}`;
  const detail = { field: t.field, expected: t.expected, actual: t.actual };
  const v = violation('memory-mismatch', fn, index, message, detail);
  return late ? { ...v, foundLate: true } : v;
}
