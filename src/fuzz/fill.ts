// Filling a transfer's buffer before the device moves it. A transfer shows where a port's
// scatter/gather list sends its bytes only if they differ from the bytes where they land:
// every generated transfer moved zeros over zeros (fresh pages, board memory never written),
// so a port whose list started at the wrong byte (a buffer at page offset 0xfff taken as
// page aligned) passed every campaign (session 34's blind probe). A coherent `@deviceDma`
// whose buffer's first bytes are all zero now has the driver write them first, as one fills
// what it sends (or reuses a buffer that holds old data for a readback).
import { visitVa } from '../model/access.js';
import type { ModelState, Transfer } from '../model/state.js';
import { roomAt } from './fit.js';

/** The bytes written: nonzero, none alike, across the first page boundary from offset 0xfff. */
export const FILL_DATA: Uint8Array = Uint8Array.from({ length: 16 }, (_, i) => 0x11 * (i + 1));

/** The first CPU byte the transfer moves (Offset is ignored in the ReactOS profile: 0 then). */
function startOf(s: ModelState, t: Transfer): bigint | undefined {
  const mdl = s.mdls.get(t.mdl);
  return mdl === undefined ? undefined : mdl.va + BigInt(t.offset);
}

/** Whether the transfer's first bytes are all zero, and the driver may write them. */
function unfilled(s: ModelState, t: Transfer): bigint | undefined {
  if (t.state !== 'delivered') return undefined;
  const start = startOf(s, t);
  if (start === undefined || roomAt(s, start) === undefined) return undefined;
  const zero = visitVa(s, start, Math.min(t.length, FILL_DATA.length), (page, off, n) => {
    if (page === undefined) return true;
    for (let i = off; i < off + n; i++) if (page[i] !== 0) return false;
    return true;
  });
  return zero === true ? start : undefined;
}

/**
 * The first delivered transfer (in start order) whose buffer needs filling, and where it
 * starts. A `@deviceDma` asks for a fill only when its own transfer is this one, so the
 * `@write` the builder runs first (its `fill` slot) lands in the buffer it moves.
 */
export function firstUnfilled(s: ModelState): { t: Transfer; start: bigint } | undefined {
  for (const t of s.transfers.values()) {
    const start = unfilled(s, t);
    if (start !== undefined) return { t, start };
  }
  return undefined;
}
