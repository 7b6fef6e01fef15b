// Programs: call sequences with abstract arguments (syzkaller's prog.Prog). A slot names *what*
// to pass ("the second live MDL", "an address 3/4 into some live buffer", "a handle that was
// freed", NULL, a literal) and is resolved against the oracle model's live state just before
// the call runs, so programs stay meaningful when mutation inserts, deletes or splices calls.
import type { ResourceKind } from '../model/callTypes.js';
import type { Value } from '../model/values.js';

/** Where inside a resolved range an address points. */
export type Place =
  /** The range's base. */
  | { readonly at: 'base' }
  /** A fraction (0..65535 of 65536) of the way in, aligned down to `align` bytes. */
  | { readonly at: 'frac'; readonly frac: number; readonly align: number }
  /** Exactly this many bytes in (lifted from a concrete trace). */
  | { readonly at: 'off'; readonly off: bigint }
  /**
   * The last byte of the page a fraction of the way in (or the range's last byte): a buffer
   * from there crosses a page boundary after one byte, where page arithmetic goes wrong.
   */
  | { readonly at: 'pageLast'; readonly frac: number }
  /** One past the last byte. */
  | { readonly at: 'end' };

export type Slot =
  /** A literal value, passed as is. */
  | { readonly s: 'lit'; readonly v: Value }
  /** The `pick`-th (modulo the count) live object of a kind; NULL when there is none. */
  | { readonly s: 'live'; readonly res: ResourceKind; readonly pick: number; readonly place: Place }
  /**
   * A hostile handle or address for a slot of kind `res`, passed even in a coherent call (the
   * call's fix-up is skipped). `wild` is the pointer passed when nothing of the class exists.
   */
  | {
      readonly s: 'hostile';
      readonly how: Hostile;
      readonly res: ResourceKind;
      readonly pick: number;
      readonly wild: bigint;
    }
  /** A bus address: `pick`-th aperture of the space (modulo), or one outside every aperture. */
  | {
      readonly s: 'bus';
      readonly space: 'memory' | 'io' | 'any';
      readonly pick: number;
      readonly place: Place;
    }
  /**
   * The bus address of the `pick`-th live view (board memory the driver mapped, as it would
   * pass it to VideoPortMapDmaMemory), `place` in; `or` when nothing is mapped.
   */
  | { readonly s: 'mapped'; readonly pick: number; readonly place: Place; readonly or: Slot }
  /** A bus address in no aperture, or a wild pointer. */
  | { readonly s: 'wild'; readonly v: bigint }
  /**
   * A length: all the RAM the oracle has left, in bytes, when that is at most ROOM_MAX (a
   * small device's), else a page. After a leak the oracle's allocation of it succeeds and
   * the port's fails: the one length that shows a leak of a page.
   */
  | { readonly s: 'room' }
  /**
   * The first byte of the first delivered transfer whose buffer starts with zeros (fill.ts):
   * where the driver writes before the device moves it.
   */
  | { readonly s: 'fill' }
  /** Current-process user memory (demand-zero, valid to lock, read and write), `off` in. */
  | { readonly s: 'user'; readonly off: number }
  /** A VIDEO_REQUEST_PACKET whose input and output buffers point at `buf`. */
  | {
      readonly s: 'vrp';
      readonly buf: Slot;
      readonly length: number;
      readonly ioControlCode: number;
    };

/**
 * How a hostile slot is hostile: NULL; `stale`, a value of its kind the case used before that is
 * no longer live (one is made and freed first if none); `foreign`, a live object of another
 * kind; `wild`, a pointer to nothing; `early`, the list handle of a started transfer not yet
 * delivered (sgList slots only).
 */
export type Hostile = 'null' | 'stale' | 'foreign' | 'wild' | 'early';

export interface AbsCall {
  readonly fn: string;
  readonly args: Readonly<Record<string, Slot>>;
  /** Make the call valid where the program allows (matching release arguments, lengths that fit). */
  readonly coherent: boolean;
}

export type Program = readonly AbsCall[];

export const lit = (v: Value): Slot => ({ s: 'lit', v });
/** Where the user buffers programs pass start (a driver's IOCTL buffer, say). */
export const USER_BUFFER = 0x20000000n;
/** Where wild pointers point (kernel space, nothing mapped there). */
export const WILD = 0xffff800012345000n;
export const BASE: Place = { at: 'base' };
/** The most RAM a `room` slot asks for: 256 pages, never the default device's 255 MiB. */
export const ROOM_MAX = 0x100000;
