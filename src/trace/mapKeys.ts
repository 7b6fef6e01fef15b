// msgpackr keeps the last of two equal keys in a MessagePack map, as an object or as a Map,
// without a word and without a hook; JSONL refuses a repeated key (duplicateKeys.ts). This
// reads a .vpt frame's raw MessagePack for what its decoded maps cannot show: a key that
// repeats in one map, a key that is not a string. The decoder runs it only on frames that
// hold plain maps (the header frame; a call frame one of whose calls failed validation, as
// every call with a Map in it does), so frames of records, all our writer writes, never pay.
//
// It walks the bytes as msgpackr reads them with the options codec.ts pins: records through
// the frame's structure list (ids of structure 32 on take a second byte), and the msgpackr
// extensions that read the value after them (0x65 Error, 0x73 Set, 0x78 RegExp). Inline
// record definitions and bundled strings, which .vpt does not use, stop the walk.

import { indexName, joinPath } from './fieldPath.js';
import { FIXED_NUMBERS } from './msgpackNumbers.js';

export interface KeyProblem {
  /** The element of the top-level list it is in (0 when the top is not a list). */
  readonly item: number;
  /** Dotted path below that element, e.g. `args.length` ('' for the element itself). */
  readonly field: string;
  readonly message: string;
}

const ARRAY = 0;
const MAP = 1;
const RECORD = 2;
/** An extension value that reads the value after it (msgpackr's Set, Error, RegExp). */
const NEXT = 3;

interface Open {
  readonly kind: typeof ARRAY | typeof MAP | typeof RECORD | typeof NEXT;
  /** Values still to read; a map counts its keys and its values. */
  left: number;
  /** Its name under its parent: an index, a key, a record field (undefined: none). */
  readonly name: string | undefined;
  /** Array: the next element's index; record: the next field's. */
  index: number;
  /** Map: the keys so far, whether a key is next, and the key of the value being read. */
  readonly keys: Set<string> | undefined;
  atKey: boolean;
  key: string;
  readonly fields: readonly string[] | undefined;
}

/** Extensions whose value is followed by one more MessagePack value that belongs to it. */
const READS_NEXT: ReadonlySet<number> = new Set([0x65, 0x73, 0x78]);
const INLINE_RECORD = 0x72;
const unused = ', which a .vpt frame does not use';
const BUNDLED_STRINGS = 0x62;
/** Bytes after the token: fixed-size scalars. */
const SCALAR_BYTES: ReadonlyMap<number, number> = new Map(FIXED_NUMBERS);

/** Walks one frame lazily: asked about element i, it reads only up to the end of element i. */
export class MapKeyScanner {
  private pos = 0;
  private readonly stack: Open[] = [];
  private readonly problems = new Map<number, KeyProblem>();
  private stopped: KeyProblem | undefined;
  private finished = false;
  private item = 0;
  /** Whether the top is a list whose elements are the items (a call frame's calls). */
  private readonly listed: boolean;
  /** Keeps a leading byte-order mark, as msgpackr does: "\uFEFFfn" is not "fn". */
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly structures: readonly (readonly string[])[],
    listItems: boolean,
  ) {
    const t = bytes[0] ?? 0;
    this.listed = listItems && ((t >= 0x90 && t < 0xa0) || t === 0xdc || t === 0xdd);
  }

  /** The first problem in element `item` (or the walk's stop, at or before it). */
  problemIn(item: number): KeyProblem | undefined {
    while (!this.finished && this.item <= item) this.step();
    const p = this.problems.get(item);
    if (p !== undefined) return p;
    const s = this.stopped;
    if (s === undefined || s.item > item) return undefined;
    if (s.item === item) return s;
    const message = `unchecked for repeated keys after this earlier in its frame: ${s.message}`;
    return { item, field: '', message };
  }

  private step(): void {
    const top = this.stack.at(-1);
    const t = this.bytes[this.pos++];
    if (t === undefined) return this.stop(undefined, 'MessagePack ends inside a value');
    if (top?.kind === MAP && top.atKey) {
      const key = this.stringOf(t);
      if (key !== undefined) {
        if (top.keys?.has(key) === true) this.report(key, 'key appears twice in one map');
        top.keys?.add(key);
        top.key = key;
        return this.done();
      }
      this.report(undefined, 'map key is not a string');
      top.key = '?';
    }
    this.value(t, top === undefined ? undefined : nameIn(top));
  }

  /** The string a key token starts, advancing past it; undefined (not moved) if not one. */
  private stringOf(t: number): string | undefined {
    let length: number;
    if (t >= 0xa0 && t < 0xc0) length = t & 0x1f;
    else if (t === 0xd9) length = this.uint(1);
    else if (t === 0xda) length = this.uint(2);
    else if (t === 0xdb) length = this.uint(4);
    else return undefined;
    const start = this.pos;
    this.pos += length;
    return (
      asciiAt(this.bytes, start, length) ?? this.utf8.decode(this.bytes.subarray(start, this.pos))
    );
  }

  private value(t: number, name: string | undefined): void {
    if (t < 0x40 || t >= 0xe0) return this.done();
    if (t < 0x80) return this.record(t, name);
    if (t < 0x90) return this.open(MAP, (t & 0x0f) * 2, name);
    if (t < 0xa0) return this.open(ARRAY, t & 0x0f, name);
    if (t < 0xc0) return this.skip(t & 0x1f);
    const fixed = SCALAR_BYTES.get(t);
    if (fixed !== undefined) return this.skip(fixed);
    switch (t) {
      case 0xc4:
      case 0xd9:
        return this.skip(this.uint(1));
      case 0xc5:
      case 0xda:
        return this.skip(this.uint(2));
      case 0xc6:
      case 0xdb:
        return this.skip(this.uint(4));
      case 0xc7:
        return this.ext(this.uint(1), name, false);
      case 0xc8:
        return this.ext(this.uint(2), name, false);
      case 0xc9:
        return this.ext(this.uint(4), name, false);
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        return this.ext(1 << (t - 0xd4), name, true);
      case 0xdc:
        return this.open(ARRAY, this.uint(2), name);
      case 0xdd:
        return this.open(ARRAY, this.uint(4), name);
      case 0xde:
        return this.open(MAP, this.uint(2) * 2, name);
      case 0xdf:
        return this.open(MAP, this.uint(4) * 2, name);
      default: // nil, never-used, false, true
        return this.done();
    }
  }

  /** A record (a structure's values follow), or, with no structure for the id, an integer. */
  private record(t: number, name: string | undefined): void {
    const slot = t & 0x3f;
    let fields = this.structures[slot];
    if (fields === undefined) return this.done();
    if (slot >= 32) {
      const high = this.uint(1);
      if (high !== 0) fields = this.structures[slot + (high << 5)];
      if (fields === undefined) return this.stop(name, 'a record of no known structure');
    }
    return this.open(RECORD, fields.length, name, fields);
  }

  private ext(length: number, name: string | undefined, fixed: boolean): void {
    const type = this.bytes[this.pos] ?? 0;
    if (fixed && type === INLINE_RECORD && length <= 2) {
      return this.stop(name, `an inline record definition (msgpackr extension 0x72)${unused}`);
    }
    if (type === BUNDLED_STRINGS) {
      return this.stop(name, `bundled strings (msgpackr extension 0x62)${unused}`);
    }
    this.pos += 1 + length;
    if (this.pos > this.bytes.length) return this.stop(name, 'MessagePack ends inside a value');
    if (READS_NEXT.has(type)) return this.open(NEXT, 1, name);
    return this.done();
  }

  private uint(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + (this.bytes[this.pos + i] ?? 0);
    this.pos += n;
    return v;
  }

  private skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length)
      return this.stop(undefined, 'MessagePack ends inside a value');
    return this.done();
  }

  private open(
    kind: Open['kind'],
    left: number,
    name: string | undefined,
    fields?: readonly string[],
  ): void {
    if (this.pos > this.bytes.length) return this.stop(name, 'MessagePack ends inside a value');
    if (left === 0) return this.done();
    const keys = kind === MAP ? new Set<string>() : undefined;
    this.stack.push({ kind, left, name, index: 0, keys, atKey: true, key: '', fields });
  }

  /** One value read: count it in the containers it completes. */
  private done(): void {
    for (let top = this.stack.at(-1); top !== undefined; top = this.stack.at(-1)) {
      top.left--;
      if (top.kind === MAP) top.atKey = !top.atKey;
      else top.index++;
      if (this.listed && this.stack.length === 1) this.item = top.index;
      if (top.left > 0) return;
      this.stack.pop();
    }
    this.finished = true;
  }

  /** The path to the innermost open value, below the item, then `last`. */
  private path(last: string | undefined): string {
    const parts: string[] = [];
    const below = this.listed ? 2 : 1;
    for (let i = below; i < this.stack.length; i++) {
      const name = (this.stack[i] as Open).name;
      if (name !== undefined) parts.push(name);
    }
    // An item's own name (its index in the list) is not part of its fields' paths.
    if (last !== undefined && this.stack.length >= below) parts.push(last);
    return joinPath(parts);
  }

  private report(last: string | undefined, message: string): void {
    if (this.problems.has(this.item)) return;
    this.problems.set(this.item, { item: this.item, field: this.path(last), message });
  }

  private stop(last: string | undefined, message: string): void {
    this.stopped = { item: this.item, field: this.path(last), message };
    this.finished = true;
  }
}

/** A short ASCII key without a TextDecoder call (keys are mostly that); else undefined. */
function asciiAt(bytes: Uint8Array, start: number, length: number): string | undefined {
  if (length > 32 || start + length > bytes.length) return undefined;
  let s = '';
  for (let i = start; i < start + length; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}

/** The name its next value has under an open container. */
function nameIn(o: Open): string | undefined {
  switch (o.kind) {
    case ARRAY:
      return indexName(o.index);
    case MAP:
      return o.key;
    case RECORD:
      return o.fields?.[o.index];
    default:
      return undefined;
  }
}
