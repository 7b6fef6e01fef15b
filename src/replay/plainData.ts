// A target's answer made the harness's own: read once, under a guard, into plain values. A
// getter runs once and a Proxy answers once; whatever they throw, a cycle, or data nested or
// sized beyond the limits is the target failing (a TargetFault), never a harness crash or a
// stack overflow later, wherever the harness happens to read the answer again.
import { describeThrown, TargetFault } from './callTarget.js';

/** Nesting deeper than this is refused (a state is a few levels deep; a cycle is endless). */
export const plainDepthMax = 64;
/** Values one answer may hold (array elements and object fields; a byte of canonical bytes). */
export const plainValuesMax = 1 << 20;

// The typed-array intrinsics, read from their internal slots: no Proxy trap, getter or own
// property of the value itself is consulted, so they can neither throw nor lie.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object;
function intrinsic<T>(name: PropertyKey): (this: unknown) => T {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .call
  const get = Object.getOwnPropertyDescriptor(typedArrayProto, name)?.get;
  if (get === undefined) throw new Error(`no %TypedArray%.prototype getter ${String(name)}`);
  return get as (this: unknown) => T;
}
const tagOf = intrinsic<string | undefined>(Symbol.toStringTag);
const bufferOf = intrinsic<ArrayBufferLike>('buffer');
const offsetOf = intrinsic<number>('byteOffset');
const lengthOf = intrinsic<number>('length');

/**
 * v as a fresh Uint8Array view of its bytes if it is one (a Buffer too), else undefined. Only
 * a view whose allocation failed (a detached buffer) throws.
 */
export function ownBytes(v: unknown): Uint8Array | undefined {
  if (tagOf.call(v) !== 'Uint8Array') return undefined;
  return new Uint8Array(bufferOf.call(v), offsetOf.call(v), lengthOf.call(v));
}

const IDENTIFIER = /^[A-Za-z_$][\w$]{0,39}$/;

function step(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key.slice(0, 40))}]`;
}

/**
 * One walk over an answer. canonical: bigints as hex text, bytes as arrays of numbers, keys
 * sorted and functions dropped (the form canonical.ts stringifies); else a copy keeping each
 * value's type, so that the shape checks still see a wrong one.
 */
class Walk {
  values = 0;
  failure: TargetFault | undefined;
  private readonly path: (string | number)[] = [];
  /** The objects being walked, outermost first (a cycle is looked for only at the limit). */
  private readonly open: object[] = [];

  constructor(
    private readonly what: string,
    private readonly canonical: boolean,
  ) {}

  private fail(why: string): never {
    this.failure = new TargetFault(`${this.what} answered ${why}`);
    throw this.failure;
  }

  private where(depth = this.path.length): string {
    return depth === 0 ? 'at its top' : `at ${this.path.slice(0, depth).map(step).join('')}`;
  }

  /**
   * At the depth limit: a cycle if an object repeats along the path, named where it first
   * contains itself; else data nested too deep. (A Set of the open objects, consulted for every
   * object, made copying a large state several times slower.)
   */
  private tooDeep(v: object): never {
    const open = [...this.open, v];
    for (let j = 1; j < open.length; j++)
      if (open.indexOf(open[j] as object) < j)
        this.fail(`an object that contains itself (${this.where(j)})`);
    this.fail(`data nested deeper than ${plainDepthMax} levels (${this.where()})`);
  }

  private count(n: number): void {
    this.values += n;
    if (this.values > plainValuesMax) this.fail(`more than ${plainValuesMax} values`);
  }

  value(v: unknown): unknown {
    if (typeof v === 'bigint') return this.canonical ? `0x${v.toString(16)}` : v;
    if (typeof v === 'function' || typeof v === 'symbol') return this.canonical ? undefined : v;
    if (typeof v !== 'object' || v === null) return v;
    if (this.open.length >= plainDepthMax) this.tooDeep(v);
    // Arrays and plain objects first: most of a state, and neither is a byte array, whose
    // check costs a getter call.
    const isArray = Array.isArray(v);
    if (!isArray && Object.getPrototypeOf(v) !== Object.prototype) {
      const bytes = ownBytes(v);
      if (bytes !== undefined) {
        this.count(this.canonical ? bytes.length : 1);
        return this.canonical ? Array.from(bytes) : bytes;
      }
    }
    this.open.push(v);
    const copy = isArray ? this.array(v as unknown[]) : this.object(v);
    this.open.pop();
    return copy;
  }

  private array(v: unknown[]): unknown[] {
    const n = v.length;
    this.count(n);
    const out: unknown[] = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      this.path.push(i);
      out[i] = this.value(v[i]);
      this.path.pop();
    }
    return out;
  }

  private object(v: object): Record<string, unknown> {
    const keys = Object.keys(v);
    this.count(keys.length);
    if (this.canonical) keys.sort();
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      this.path.push(k);
      const got: unknown = this.value(o[k]);
      this.path.pop();
      // Defined, so that a "__proto__" key is a key, not the copy's prototype.
      if (k === '__proto__')
        Object.defineProperty(out, k, {
          value: got,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = got;
    }
    return out;
  }
}

function walk(v: unknown, what: string, canonical: boolean): unknown {
  const w = new Walk(what, canonical);
  try {
    return w.value(v);
  } catch (e) {
    if (w.failure !== undefined) throw w.failure;
    throw new TargetFault(`${what} answered a value that could not be read: ${describeThrown(e)}`);
  }
}

/** A copy of a target's answer in plain values (throws TargetFault; see Walk). */
export function plainCopy(v: unknown, what: string): unknown {
  return walk(v, what, false);
}

/** The canonical form of a state (throws TargetFault; see Walk), ready for JSON.stringify. */
export function canonicalPlain(v: unknown, what: string): unknown {
  return walk(v, what, true);
}
