// Values from a process target (outgoing ones are MessagePack-ready as they are). Incoming
// ones are normalized by the call table, so a child may encode integers however it
// likes, and anything of the wrong shape is a fault, not a crash of the harness.
import { describe } from '../model/calls.js';
import type { ArgType } from '../model/callTypes.js';
import type { CallOutcome, Struct, Value } from '../model/values.js';
import { strayOut, TargetFault } from './callTarget.js';
import type { TouchedRanges } from './target.js';

/** Ranges one touched answer may list. */
export const touchedRangesMax = 1 << 16;

const STRUCT_FIELDS: Partial<Record<ArgType, Readonly<Record<string, ArgType>>>> = {
  vrp: {
    ioControlCode: 'u32',
    statusBlock: 'ptr',
    inputBuffer: 'ptr',
    inputBufferLength: 'u32',
    outputBuffer: 'ptr',
    outputBufferLength: 'u32',
  },
  devdesc: {
    scatterGather: 'bool',
    dma32BitAddresses: 'bool',
    dma64BitAddresses: 'bool',
    maximumLength: 'u32',
  },
};
const ELEMENT_FIELDS: Readonly<Record<string, ArgType>> = { address: 'u64', length: 'u32' };

/** Entries of a list shown in a message; the rest are counted. */
const shownEntriesMax = 8;

/**
 * Bytes as their count and long lists cut: the message is cut to 1,000 characters anyway, and
 * a 16 MiB bin where a number belongs once became 33 million characters of JSON first.
 */
function wireText(v: unknown): string {
  // The holder's own value: a Buffer's toJSON (a list of every byte) has run by the time the
  // replacer sees its second argument.
  function replacer(this: Record<string, unknown>, k: string, json: unknown): unknown {
    const x = this[k];
    if (typeof x === 'bigint') return x.toString();
    if (x instanceof Uint8Array) return `<${x.length} bytes>`;
    if (Array.isArray(x) && x.length > shownEntriesMax)
      return [
        ...(x as unknown[]).slice(0, shownEntriesMax),
        `<${x.length - shownEntriesMax} more>`,
      ];
    return json;
  }
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return JSON.stringify(v, replacer) ?? 'nothing';
}

/** What each trace type is on the wire (docs/target-protocol.md), for a message. */
const EXPECTED: Readonly<Record<ArgType, string>> = {
  ptr: 'an integer',
  u64: 'an integer',
  i64: 'an integer',
  bool: 'true or false',
  bytes: 'bin',
  sglist: 'an array of {address, length}',
  vrp: 'a map or 0',
  devdesc: 'a map or 0',
  u8: 'an integer',
  u32: 'an integer',
  i32: 'an integer',
  usize: 'an integer',
};

/** A value a process target answered, as MessagePack calls it, for a message. */
export function wireValue(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'nil';
  if (typeof v === 'boolean') return `the bool ${v}`;
  if (typeof v === 'bigint') return `the integer ${v}`;
  if (typeof v === 'number') return `the ${Number.isInteger(v) ? 'integer' : 'float'} ${v}`;
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (v instanceof Uint8Array) return `bin of ${v.length} bytes`;
  return `${Array.isArray(v) ? 'the array' : 'the map'} ${wireText(v)}`;
}

/**
 * Garbage where a value of another type belongs, worded as a module target's is
 * (callTarget.ts): `VideoPortLockPages: the target answered garbage: ret is the integer 0,
 * not true or false (bool)`. `who` names the request: `VideoPortX: `, `touched: `.
 */
function bad(who: string, where: string, v: unknown, expected: string): never {
  throw new TargetFault(
    `${who}the target answered garbage: ${where} is ${wireValue(v)}, not ${expected}`,
  );
}

function asStruct(
  v: unknown,
  fields: Readonly<Record<string, ArgType>>,
  where: string,
  who: string,
  expected: string,
): Struct {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array || Array.isArray(v))
    return bad(who, where, v, expected);
  const src = v as Record<string, unknown>;
  const out: Record<string, bigint | number | boolean | Uint8Array> = {};
  for (const [k, t] of Object.entries(fields)) {
    if (!Object.hasOwn(src, k))
      return bad(who, `${where}.${k}`, undefined, `${EXPECTED[t]} (${t})`);
    out[k] = normalize(src[k], t, `${where}.${k}`, who) as bigint | number | boolean;
  }
  return out;
}

/** v as the trace type `type`; garbage is a TargetFault naming `who` and `where` it was. */
export function normalize(v: unknown, type: ArgType, where: string, who = ''): Value {
  const no = (): never => bad(who, where, v, `${EXPECTED[type]} (${type})`);
  switch (type) {
    case 'ptr':
    case 'u64':
    case 'i64':
      if (typeof v === 'bigint')
        return type === 'i64' ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
      if (typeof v === 'number' && Number.isSafeInteger(v))
        return type === 'i64' ? BigInt(v) : BigInt.asUintN(64, BigInt(v));
      return no();
    case 'bool':
      return typeof v === 'boolean' ? v : no();
    case 'bytes':
      return v instanceof Uint8Array ? new Uint8Array(v) : no();
    case 'sglist':
      if (!Array.isArray(v)) return no();
      if (v.length > 4096) return bad(who, where, v, 'an array of at most 4096 elements');
      return v.map((e, i) =>
        asStruct(e, ELEMENT_FIELDS, `${where}[${i}]`, who, 'a map {address, length}'),
      );
    case 'vrp':
    case 'devdesc':
      if (v === 0 || v === 0n) return 0n;
      return asStruct(v, STRUCT_FIELDS[type] ?? {}, where, who, `${EXPECTED[type]} (${type})`);
    default:
      if (
        typeof v === 'bigint' &&
        v <= BigInt(Number.MAX_SAFE_INTEGER) &&
        v >= BigInt(Number.MIN_SAFE_INTEGER)
      )
        return Number(v);
      return typeof v === 'number' && Number.isInteger(v) ? v : no();
  }
}

/** A child's answer to a call, typed by the call table. */
export function normalizeOutcome(fn: string, r: Record<string, unknown>): CallOutcome {
  const desc = describe(fn);
  const who = `${fn}: `;
  const outcome: CallOutcome = {};
  if (desc?.ret !== undefined && r['ret'] !== undefined)
    outcome.ret = normalize(r['ret'], desc.ret.type, 'ret', who);
  const rawOut = r['out'];
  if (rawOut !== undefined && desc !== undefined) {
    if (typeof rawOut !== 'object' || rawOut === null || Array.isArray(rawOut))
      return bad(who, 'out', rawOut, 'a map of out-parameters');
    const src = rawOut as Record<string, unknown>;
    const out: Record<string, Value> = {};
    for (const o of desc.out) {
      if (Object.hasOwn(src, o.name))
        out[o.name] = normalize(src[o.name], o.type, `out.${o.name}`, who);
    }
    // A misspelled key was dropped here, so the parameter it meant read as unwritten: a
    // MapDmaMemory that wrote `Length` passed as one that wrote nothing (as a module's is).
    for (const k in src) if (!Object.hasOwn(out, k)) strayOut(fn, k, desc.out);
    outcome.out = out;
  }
  return outcome;
}

/**
 * `[[address, length], ...]`, typed; anything else is garbage from the target. `where` is the
 * key it came in (`ranges` of a touched answer, `touched` of a call answer), `who` the request.
 */
export function touchedRanges(raw: unknown, where = 'ranges', who = 'touched: '): TouchedRanges {
  if (!Array.isArray(raw)) return bad(who, where, raw, 'a list of [address, length]');
  if (raw.length > touchedRangesMax)
    throw new TargetFault(
      `${who}the target answered garbage: ${where} listed ${raw.length} ranges, more than ${touchedRangesMax}; join adjacent ones`,
    );
  return raw.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      return bad(who, `${where}[${i}]`, pair, '[address, length]');
    const address = normalize(pair[0], 'ptr', `${where}[${i}][0]`, who) as bigint;
    const length = normalize(pair[1], 'u32', `${where}[${i}][1]`, who) as number;
    return { address, length };
  });
}
