// The fast path for .vpt call frames as our own writer makes them (layout: codec.ts): a list
// of call records {fn, args, ret?, out?} whose args and out are records, with scalar values,
// structures as records and SG lists as lists of records. It reads the MessagePack and
// validates in one pass, building the in-memory calls directly: no generic object to walk
// again, no map lookup per key, no fresh string per function name, no Result per call.
//
// On anything else (a plain map, a string other than a known function's name, an extension,
// a record shape it does not know, a value validation refuses, a count over a limit) it gives
// up, returning undefined, and the general path (msgpackr, then adoptVptCall in vptDecoder.ts)
// decodes the frame again and says what is wrong. What it accepts it must decode exactly as
// that path would: same calls, same values, keys in the same order. Scalars go through the
// same normalizers (normalizeScalar, validateValue), and callFrameReader.test.ts holds the two
// paths to the same result on generated, mutated and hand-made frames.
//
// Records are read as msgpackr reads them with the frame's structure list: ids 0x40 + i, from
// structure 32 on followed by a second byte (0: structure 32..63 itself; h: h * 32 further).
import type { ArgType } from '../model/callTypes.js';
import type { Args, CallMeta, TraceCall, Value } from '../model/values.js';
import type { CallPlan, FieldPlan, RecordPlan } from './validate.js';
import { callPlans, recordPlanCount } from './validate.js';
import { normalizeScalar } from './scalars.js';
import { Bad, validateValue } from './validateValue.js';
import { frameCallsMax } from './traceLimits.js';
import { FIXED_NUMBERS } from './msgpackNumbers.js';
import { callMetaFromJson } from './meta.js';

interface Name {
  readonly bytes: Uint8Array;
  /** The bytes four at a time (big-endian), then the last length % 4 in `bytes`. */
  readonly words: readonly number[];
  readonly plan: CallPlan;
}

/** Function names (encoded as UTF-8, as msgpackr decodes them) by their length in bytes. */
const NAMES: Name[][] = [];
for (const plan of callPlans()) {
  const bytes = new TextEncoder().encode(plan.desc.fn);
  const view = new DataView(bytes.buffer);
  const words = Array.from({ length: bytes.length >> 2 }, (_, k) => view.getUint32(4 * k));
  (NAMES[bytes.length] ??= []).push({ bytes, words, plan });
}

/** Call record shapes: the keys in the order our writer writes them (makeCall). */
const NOT_A_CALL = 0;
const FN_ARGS = 1;
const FN_ARGS_RET = 2;
const FN_ARGS_OUT = 3;
const FN_ARGS_RET_OUT = 4;
/** Added to a shape whose record ends in `meta` (its JSON text, codec.ts). */
const WITH_META = 8;
const SHAPES: readonly (readonly [readonly string[], number])[] = [
  [['fn', 'args'], FN_ARGS],
  [['fn', 'args', 'ret'], FN_ARGS_RET],
  [['fn', 'args', 'out'], FN_ARGS_OUT],
  [['fn', 'args', 'ret', 'out'], FN_ARGS_RET_OUT],
];

function shapeOf(keys: readonly string[]): number {
  const meta = keys[keys.length - 1] === 'meta' ? WITH_META : 0;
  const length = keys.length - (meta === 0 ? 0 : 1);
  for (const [shape, n] of SHAPES) {
    if (length === shape.length && shape.every((k, i) => k === keys[i])) return n + meta;
  }
  return NOT_A_CALL;
}

/** UTF-8 as msgpackr reads it, for valid text (anything else is left to msgpackr). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Nesting a value may have below a call's field: a list of records of scalars. */
const depthMax = 2;

/** One per file read, like CallFrameUnpacker: caches what each record structure means. */
export class CallFrameReader {
  private structures: readonly (readonly string[])[] = [];
  /** Per structure id: its call shape (undefined: not worked out yet). */
  private shapes: (number | undefined)[] = [];
  /** Per structure id and record plan: the plan's field for each key, null if it does not fit. */
  private fits: (readonly FieldPlan[] | null | undefined)[] = [];
  private readonly plans = recordPlanCount();
  private src: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.src.buffer);
  private pos = 0;

  /**
   * The frame's calls, or undefined to leave the frame to the general path. `body` is the
   * frame's MessagePack after the structures block, in memory the caller owns (byte strings
   * become views of it); `structures` the list its records refer to; `room` the calls the
   * trace may still take.
   */
  read(
    body: Uint8Array,
    structures: readonly (readonly string[])[],
    room: number,
  ): TraceCall[] | undefined {
    if (structures !== this.structures) {
      // A new list, not the old one grown: what the ids meant no longer holds.
      this.structures = structures;
      this.shapes = [];
      this.fits = [];
    }
    this.src = body;
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    this.pos = 0;
    const n = this.listLength();
    if (n === undefined || n < 1 || n > frameCallsMax || n > room) return undefined;
    const calls: TraceCall[] = [];
    for (let i = 0; i < n; i++) {
      const c = this.call();
      if (c === undefined) return undefined;
      calls.push(c);
    }
    return this.pos === body.length ? calls : undefined;
  }

  private call(): TraceCall | undefined {
    const id = this.recordId();
    if (id === undefined) return undefined;
    const shape = (this.shapes[id] ??= shapeOf(this.structures[id] ?? []));
    if (shape === NOT_A_CALL) return undefined;
    if (shape < WITH_META) return this.callOf(shape);
    const c = this.callOf(shape - WITH_META);
    if (c === undefined) return undefined;
    const meta = this.meta();
    return meta === undefined ? undefined : { ...c, meta };
  }

  /** A call's fields after its record id, up to meta. */
  private callOf(shape: number): TraceCall | undefined {
    const plan = this.fnPlan();
    if (plan === undefined) return undefined;
    const fn = plan.desc.fn;
    const args = this.record(plan.args);
    if (args === undefined) return undefined;
    if (shape === FN_ARGS) return { fn, args };
    let ret: Value | undefined;
    if (shape !== FN_ARGS_OUT) {
      if (plan.desc.ret === undefined) return undefined;
      ret = this.value(plan.desc.ret.type);
      if (ret === undefined) return undefined;
      if (shape === FN_ARGS_RET) return { fn, args, ret };
    }
    const out = this.record(plan.out);
    if (out === undefined) return undefined;
    return ret === undefined ? { fn, args, out } : { fn, args, ret, out };
  }

  /** A call's meta: its JSON text (fixstr, str 8/16/32), checked as the general path does. */
  private meta(): CallMeta | undefined {
    const src = this.src;
    const token = src[this.pos];
    let at = this.pos + 1;
    let length: number | undefined;
    if (token === undefined) return undefined;
    if (token >= 0xa0 && token < 0xc0) length = token - 0xa0;
    else if (token === 0xd9) length = src[at++];
    else if (token === 0xda && this.has(3)) [length, at] = [this.view.getUint16(at), at + 2];
    else if (token === 0xdb && this.has(5)) [length, at] = [this.view.getUint32(at), at + 4];
    if (length === undefined || length > src.length - at) return undefined;
    let text: string;
    try {
      text = utf8.decode(src.subarray(at, at + length));
    } catch {
      return undefined;
    }
    const meta = callMetaFromJson(text);
    if (meta instanceof Bad) return undefined;
    this.pos = at + length;
    return meta;
  }

  /** A record's id in the structure list, past its one or two bytes. */
  private recordId(): number | undefined {
    const token = this.src[this.pos];
    if (token === undefined || token < 0x40 || token >= 0x80) return undefined;
    let id = token & 0x3f;
    if (id >= this.structures.length) return undefined;
    this.pos++;
    if (id >= 32) {
      const high = this.src[this.pos++];
      if (high === undefined) return undefined;
      id += high << 5;
      if (id >= this.structures.length) return undefined;
    }
    return id;
  }

  /** A function name's plan, from its bytes (fixstr or str 8); only names the table knows. */
  private fnPlan(): CallPlan | undefined {
    const src = this.src;
    const token = src[this.pos];
    let at = this.pos + 1;
    let length: number | undefined;
    if (token !== undefined && token >= 0xa0 && token < 0xc0) length = token - 0xa0;
    else if (token === 0xd9) length = src[at++];
    if (length === undefined || at + length > src.length) return undefined;
    const names = NAMES[length];
    if (names === undefined) return undefined;
    for (const name of names) {
      const words = name.words;
      let k = 0;
      while (k < words.length && this.view.getUint32(at + 4 * k) === words[k]) k++;
      if (k < words.length) continue;
      let i = 4 * k;
      while (i < length && name.bytes[i] === src[at + i]) i++;
      if (i === length) {
        this.pos = at + length;
        return name.plan;
      }
    }
    return undefined;
  }

  /** args or out: a record whose keys are all the plan's, the required ones among them. */
  private record(plan: RecordPlan): Args | undefined {
    const id = this.recordId();
    if (id === undefined) return undefined;
    const slot = id * this.plans + plan.id;
    let fields = this.fits[slot];
    if (fields === undefined) fields = this.fits[slot] = fit(this.structures[id] ?? [], plan);
    if (fields === null) return undefined;
    const o: Record<string, Value> = {};
    for (const f of fields) {
      const v = this.value(f.type);
      if (v === undefined) return undefined;
      o[f.name] = v;
    }
    return o;
  }

  /** One value of `type`, normalized as validateValue would. */
  private value(type: ArgType): Value | undefined {
    if (type === 'vrp' || type === 'devdesc' || type === 'sglist') {
      const raw = this.raw(0);
      if (raw === undefined) return undefined;
      const v = validateValue(type, raw, true);
      return v instanceof Bad ? undefined : v;
    }
    const raw = this.scalar();
    return raw === undefined ? undefined : normalizeScalar(type, raw);
  }

  /** A value as msgpackr decodes it: a scalar, a record as an object, a list. */
  private raw(depth: number): unknown {
    const token = this.src[this.pos];
    if (token === undefined) return undefined;
    if (depth < depthMax) {
      if (token >= 0x40 && token < 0x80) {
        const id = this.recordId();
        if (id === undefined) return undefined;
        const o: Record<string, unknown> = {};
        for (const key of this.structures[id] ?? []) {
          const v = this.raw(depth + 1);
          if (v === undefined) return undefined;
          o[key] = v;
        }
        return o;
      }
      const n = this.listLength();
      if (n !== undefined) {
        const list: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.raw(depth + 1);
          if (v === undefined) return undefined;
          list.push(v);
        }
        return list;
      }
    }
    return this.scalar();
  }

  /** fixarray, array 16, array 32: the count (at most the bytes left), past the header. */
  private listLength(): number | undefined {
    const token = this.src[this.pos];
    if (token === undefined) return undefined;
    let n: number;
    let header = 1;
    if (token >= 0x90 && token < 0xa0) n = token - 0x90;
    else if (token === 0xdc && this.has(3)) [n, header] = [this.view.getUint16(this.pos + 1), 3];
    else if (token === 0xdd && this.has(5)) [n, header] = [this.view.getUint32(this.pos + 1), 5];
    else return undefined;
    this.pos += header;
    return n <= this.src.length - this.pos ? n : undefined;
  }

  private has(bytes: number): boolean {
    return this.pos + bytes <= this.src.length;
  }

  /** Integers, floats, booleans and byte strings, as msgpackr returns them (int64 as bigint). */
  private scalar(): number | bigint | boolean | Uint8Array | undefined {
    const src = this.src;
    const view = this.view;
    const at = this.pos;
    const token = src[at];
    if (token === undefined) return undefined;
    if (token < 0x80) {
      this.pos = at + 1;
      return token < 0x40 ? token : undefined;
    }
    if (token >= 0xe0) {
      this.pos = at + 1;
      return token - 0x100;
    }
    const size = SCALAR_BYTES[token - 0xc0];
    if (size === undefined || !this.has(1 + size)) return undefined;
    this.pos = at + 1 + size;
    switch (token) {
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(src[at + 1] as number);
      case 0xc5:
        return this.bin(view.getUint16(at + 1));
      case 0xc6:
        return this.bin(view.getUint32(at + 1));
      case 0xca:
        return view.getFloat32(at + 1);
      case 0xcb:
        return view.getFloat64(at + 1);
      case 0xcc:
        return src[at + 1];
      case 0xcd:
        return view.getUint16(at + 1);
      case 0xce:
        return view.getUint32(at + 1);
      case 0xcf:
        // NULL is most pointers: no heap BigInt for it.
        return view.getUint32(at + 1) === 0 && view.getUint32(at + 5) === 0
          ? 0n
          : view.getBigUint64(at + 1);
      case 0xd0:
        return view.getInt8(at + 1);
      case 0xd1:
        return view.getInt16(at + 1);
      case 0xd2:
        return view.getInt32(at + 1);
      case 0xd3:
        return view.getBigInt64(at + 1);
      default:
        return undefined;
    }
  }

  private bin(length: number): Uint8Array | undefined {
    const start = this.pos;
    if (length > this.src.length - start) return undefined;
    this.pos = start + length;
    return this.src.subarray(start, start + length);
  }
}

/** Bytes after the token, by token - 0xc0, for the scalars scalar() reads. */
const SCALAR_BYTES: readonly (number | undefined)[] = (() => {
  const sizes: (number | undefined)[] = [];
  const set = (token: number, n: number): void => void (sizes[token - 0xc0] = n);
  set(0xc2, 0);
  set(0xc3, 0);
  // bin 8/16/32: the bytes of the length.
  set(0xc4, 1);
  set(0xc5, 2);
  set(0xc6, 4);
  for (const [token, n] of FIXED_NUMBERS) set(token, n);
  return sizes;
})();

/** The plan's field for each key, or null: a key the plan lacks, or a required one missing. */
function fit(keys: readonly string[], plan: RecordPlan): readonly FieldPlan[] | null {
  const fields: FieldPlan[] = [];
  let required = 0;
  for (const k of keys) {
    const f = plan.byName.get(k);
    if (f === undefined) return null;
    if (f.required) required++;
    fields.push(f);
  }
  return required < plan.required ? null : fields;
}
