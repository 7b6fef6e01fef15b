// The kept entries of a run with --rounds, in shared memory for the worker threads: their .vpt
// bytes and names appended to one buffer, their places to another, each grown by doubling. A
// round's tasks read only the entries before its count, and those bytes never change, so a
// boundary sends no copy of the earlier entries: only the new ones were written, as they came.
import type { RoundBase } from './protocol.js';

/** Float64s per entry: [start, end) of its bytes, [start, end) of its name's UTF-8. */
const SLOTS = 4;

export class RoundArena {
  private bytes = new SharedArrayBuffer(64 << 10);
  private places = new SharedArrayBuffer(8 * SLOTS * 256);
  private used = 0;
  count = 0;

  append(encoded: Uint8Array, name: string): void {
    const nameBytes = new TextEncoder().encode(name);
    const need = this.used + encoded.length + nameBytes.length;
    if (need > this.bytes.byteLength) this.bytes = grown(this.bytes, this.used, need);
    if (8 * SLOTS * (this.count + 1) > this.places.byteLength)
      this.places = grown(this.places, 8 * SLOTS * this.count, 8 * SLOTS * (this.count + 1));
    const view = new Uint8Array(this.bytes);
    const at = new Float64Array(this.places, 8 * SLOTS * this.count, SLOTS);
    view.set(encoded, this.used);
    at[0] = this.used;
    at[1] = this.used + encoded.length;
    view.set(nameBytes, at[1]);
    at[2] = at[1];
    at[3] = at[1] + nameBytes.length;
    this.used = need;
    this.count++;
  }

  /** The buffers as they are: valid for every entry appended so far. */
  shared(): Pick<RoundBase, 'bytes' | 'places' | 'count'> {
    return { bytes: this.bytes, places: this.places, count: this.count };
  }
}

/** A copy of `old`'s first `used` bytes in a buffer at least twice as large and `need` long. */
function grown(old: SharedArrayBuffer, used: number, need: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Math.max(need, 2 * old.byteLength));
  new Uint8Array(sab).set(new Uint8Array(old, 0, used));
  return sab;
}

/** Kept entry `i`'s bytes and name (a view: decode copies what it keeps). */
export function arenaEntry(r: RoundBase, i: number): { bytes: Uint8Array; name: string } {
  const at = new Float64Array(r.places, 8 * SLOTS * i, SLOTS);
  const view = new Uint8Array(r.bytes);
  return {
    bytes: view.slice(at[0], at[1]),
    name: new TextDecoder().decode(view.slice(at[2], at[3])),
  };
}
