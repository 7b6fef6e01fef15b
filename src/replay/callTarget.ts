// Calling a target safely: whatever it throws or returns, the harness gets a value or a
// TargetFault (a branded error that survives structured clone across the worker boundary).
import { describe } from '../model/calls.js';
import type { ArgType } from '../model/callTypes.js';
import type { CallOutcome } from '../model/values.js';
import type { Target, TraceCallIn } from './target.js';

const brand = Symbol.for('vpdma.TargetFault');

/** Target-supplied text in a fault (an error string, a garbage value) is cut to this. */
export const messageCharsMax = 1000;

/** `text` cut to messageCharsMax characters, saying how long it was. */
export function cutTargetText(text: string): string {
  return text.length <= messageCharsMax
    ? text
    : `${text.slice(0, messageCharsMax)}... (${text.length} characters in all)`;
}

export class TargetFault extends Error {
  readonly [brand] = true;
  override readonly name = 'TargetFault';
  /**
   * @param timeout it did not answer in time
   * @param reported the target itself answered with an error (alive and well: for a read,
   *   that is how it says the memory is not mapped), not a crash, hang or garbage
   */
  constructor(
    message: string,
    readonly timeout = false,
    readonly reported = false,
  ) {
    super(cutTargetText(message));
  }
  /** Never throws, even for a thrown Proxy whose traps do. */
  static is(e: unknown): e is TargetFault {
    try {
      return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
    } catch {
      return false;
    }
  }
}

/**
 * What a target threw, for a message: `Name: message`, or the thrown value as text. Never
 * throws: a value whose toString, name or message getter throws, or a Proxy whose traps do,
 * is described as such.
 */
export function describeThrown(e: unknown): string {
  try {
    if (TargetFault.is(e)) return String(e.message);
    if (e instanceof Error) return `${String(e.name)}: ${String(e.message)}`;
    return String(e);
  } catch {
    return `a value of type ${typeof e} that could not be turned into text`;
  }
}

function checkShape(fn: string, o: unknown): CallOutcome {
  if (o === undefined) return {};
  // Likely meant as a NULL return: said plainly rather than compared as a missing ret.
  if (o === null)
    throw new TargetFault(`${fn}: the target answered null, not an outcome object {ret, out}`);
  if (typeof o !== 'object')
    throw new TargetFault(`${fn}: the target answered ${typeof o}, not an outcome object`);
  const r = o as Record<string, unknown>;
  const out = r['out'];
  if (out !== undefined && (typeof out !== 'object' || out === null))
    throw new TargetFault(`${fn}: the target's out is not an object`);
  const desc = describe(fn);
  if (desc === undefined) return o;
  // A value of the wrong JavaScript type would be neither learned nor compared: a silent pass.
  if (desc.ret !== undefined) checkType(fn, 'ret', r['ret'], desc.ret.type);
  if (out !== undefined) {
    const fields = out as Record<string, unknown>;
    for (const d of desc.out) checkType(fn, `out.${d.name}`, fields[d.name], d.type);
    // A key the call has no out-parameter of is a typo more often than not (`logicalAdress`),
    // and the parameter it meant would be compared as unwritten without a word about it.
    const names = outNamesOf(fn, desc.out);
    for (const k in fields) if (!names.has(k)) strayOut(fn, k, desc.out);
  }
  return o;
}

const OUT_NAMES = new Map<string, ReadonlySet<string>>();

function outNamesOf(fn: string, outs: readonly { readonly name: string }[]): ReadonlySet<string> {
  let names = OUT_NAMES.get(fn);
  if (names === undefined) OUT_NAMES.set(fn, (names = new Set(outs.map((d) => d.name))));
  return names;
}

/** A key of `out` that names no out-parameter of fn: a typo, refused as garbage (any target). */
export function strayOut(
  fn: string,
  key: string,
  outs: readonly { readonly name: string }[],
): never {
  const list = outs.length === 0 ? 'none' : outs.map((d) => d.name).join(', ');
  throw new TargetFault(
    `${fn}: the target answered out.${key.length > 40 ? `${key.slice(0, 40)}...` : key}, which is not an out-parameter of ${fn} (its out-parameters: ${list})`,
  );
}

/** What each trace type is in memory (DESIGN.md "Target module interface"). */
function typeOk(v: unknown, type: ArgType): boolean {
  switch (type) {
    case 'ptr':
    case 'u64':
    case 'i64':
      return typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'bytes':
      return v instanceof Uint8Array;
    case 'sglist':
      return Array.isArray(v);
    case 'vrp':
    case 'devdesc':
      return v === 0n || (typeof v === 'object' && v !== null && !Array.isArray(v));
    default:
      return typeof v === 'number' && Number.isInteger(v);
  }
}

const EXPECTED: Readonly<Record<ArgType, string>> = {
  ptr: 'a bigint',
  u64: 'a bigint',
  i64: 'a bigint',
  bool: 'a boolean',
  bytes: 'a Uint8Array',
  sglist: 'an array',
  vrp: 'an object or 0n',
  devdesc: 'an object or 0n',
  u8: 'an integer number',
  u32: 'an integer number',
  i32: 'an integer number',
  usize: 'an integer number',
};

function checkType(fn: string, where: string, v: unknown, type: ArgType): void {
  if (v === undefined || typeOk(v, type)) return;
  throw new TargetFault(
    `${fn}: the target answered garbage: ${where} is ${garbageText(v)}, not ${EXPECTED[type]} (${type})`,
  );
}

/** A value a target answered where another type belongs, for a message. */
export function garbageText(v: unknown): string {
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return 'an array';
  return `a value of type ${typeof v}`;
}

/** Rejects with a timeout fault if p does not settle within ms. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new TargetFault(`${what}: no answer within ${ms} ms`, true)),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function threw(fn: string, e: unknown): TargetFault {
  return TargetFault.is(e) ? e : new TargetFault(`${fn}: the target threw ${describeThrown(e)}`);
}

/**
 * Synchronous for a synchronous target; throws (or rejects with) TargetFault. The answer is
 * checked inside the try that is there for the call anyway: a getter of the answer that
 * throws is the target's fault. (A module target's answers come here already copied into
 * plain values by guardTarget; this is the last line for a Target handed to the Replayer.)
 */
export function callTargetMaybe(
  target: Target,
  call: TraceCallIn,
  timeoutMs = 5000,
): CallOutcome | Promise<CallOutcome> {
  let r: unknown;
  try {
    r = target.call(call);
    if (!(r instanceof Promise)) return checkShape(call.fn, r);
  } catch (e) {
    throw threw(call.fn, e);
  }
  return withTimeout(r, timeoutMs, call.fn).then(
    (v) => {
      try {
        return checkShape(call.fn, v);
      } catch (e) {
        throw threw(call.fn, e);
      }
    },
    (e: unknown) => {
      throw threw(call.fn, e);
    },
  );
}

export async function callTarget(
  target: Target,
  call: TraceCallIn,
  timeoutMs = 5000,
): Promise<CallOutcome> {
  try {
    const r = target.call(call);
    return checkShape(call.fn, r instanceof Promise ? await withTimeout(r, timeoutMs, call.fn) : r);
  } catch (e) {
    throw threw(call.fn, e);
  }
}
