// A crash's title: what the minimizer's "fails the same way" asks of a target-crashed beyond
// its function (stillFails.ts), as syzkaller keys on a crash's title, so that a repro keeps
// the crash the campaign met rather than sliding to another crash in the same function. The
// same bug must give the same title candidate after candidate and run after run, so the
// values in a message (addresses, handles, lengths, call indexes, PIDs, exit codes, times)
// are each one mark; but NULL, written 0x0, stays itself: a crash on a NULL handle is not the
// crash on a freed one that quotes its address.
import { STDERR_SAID } from './stderrTail.js';

/**
 * A run of digits, or of hex digits with at least one digit or a 0x, between characters that
 * are not letters or digits (`_` and `-` separate): `0xffffe00010000400`, `ffffe000`, `41`,
 * `12:03:04` (three). Hex letters alone (`dead`, `add`) are words; `0x0` is NULL. Else digits
 * inside a word (`uint32`, `obj7`). One pass, so that NULL's own digit stays.
 */
const VALUE =
  /(?<![0-9A-Za-z])(?:0[xX][0-9A-Fa-f]+|[0-9A-Fa-f]*[0-9][0-9A-Fa-f]*)(?![0-9A-Za-z])|[0-9]+/g;
const NULL = /^0[xX]0+$/;

/**
 * The title of a crash message: its first line without a process target's stderr lines, each
 * value in it `#` but NULL (`0x0`). The stderr lines are the target's own log as much as its last words
 * (docs/debugging.md has a port print every call's arguments there): in a title they would
 * tie the repro to the calls before the crash, and to whatever else the log says.
 */
export function crashTitle(message: string): string {
  const line = message.split(/\r?\n|\r/, 1)[0] ?? '';
  const said = line.indexOf(`; ${STDERR_SAID}`);
  const head = said < 0 ? line : line.slice(0, said);
  return head.trim().replace(VALUE, (v) => (NULL.test(v) ? '0x0' : '#'));
}

/** A finding's `title`: its crash's, when it is a target-crashed (a report names it so). */
export function titleOf(v: { readonly kind: string; readonly message: string }): {
  title?: string;
} {
  return v.kind === 'target-crashed' ? { title: crashTitle(v.message) } : {};
}
