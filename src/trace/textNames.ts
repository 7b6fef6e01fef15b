// The text format's naming passes: which produced values later args refer to (ReferenceScan),
// and the rN name each referenced production gets (Namer), in file order. Two passes, so a
// streamed trace can be named too (textStream.ts). producerRefs finds the same references for
// the provenance comments of an annotated repro. All follow the table's `releases`: a value
// refers to the newest producer still live, and to one whose object ended only when no live
// one holds it (a comment then says when it was freed).
import { describe, releasesObject } from '../model/calls.js';
import type { TraceCall } from '../model/values.js';
import { isStruct } from '../model/values.js';
import type { ProducedAt, Production } from './produced.js';
import { productionsOf } from './produced.js';
import { VRP_FIELDS } from './structs.js';

/** Interior addresses are matched against this many most recent ranges (bounds the work). */
const RANGE_WINDOW = 1024;
const VRP_PTR_FIELDS = VRP_FIELDS.filter((f) => f.type === 'ptr').map((f) => f.name);

/** Per call: path ("args.mdl", "out.elements.0.address") → text replacing or prefixing a value. */
export type Annotations = ReadonlyMap<string, string>;

export function producedPath(at: ProducedAt): string {
  if (at.in === 'ret') return 'ret';
  let p = `out.${at.name}`;
  if (at.index !== undefined) p += `.${at.index}`;
  if (at.field !== undefined) p += `.${at.field}`;
  return p;
}

/** Candidate reference positions of one call: consumed handles/addresses and VRP pointers. */
function candidates(call: TraceCall): [string, bigint][] {
  const desc = describe(call.fn);
  const out: [string, bigint][] = [];
  if (desc === undefined) return out;
  for (const a of desc.args) {
    const v = call.args[a.name];
    if (typeof v === 'bigint' && v !== 0n && a.role.kind === 'consumes')
      out.push([`args.${a.name}`, v]);
    if (a.type === 'vrp' && isStruct(v)) {
      for (const f of VRP_PTR_FIELDS) {
        const fv = v[f];
        if (typeof fv === 'bigint' && fv !== 0n) out.push([`args.${a.name}.${f}`, fv]);
      }
    }
  }
  return out;
}

/** A production the naming passes can still find: its index in file order, value and extent. */
interface Known {
  readonly idx: number;
  readonly value: bigint;
  readonly extent: number;
  /** Its rN name (second pass only, when a later call refers to it). */
  name?: string;
  /** The call that produced it and where in that call (producerRefs only). */
  origin?: { readonly call: number; readonly at: string };
  /** The call that ended its object (lookups prefer a production not ended). */
  endedAt?: number;
}

/**
 * The productions a later call can refer to, found in file order the same way by both
 * passes: exact values (the `exactKept` most recently produced or referenced; a value
 * forgotten and then referenced prints as its literal, which reads back the same) and the
 * newest RANGE_WINDOW ranges for interior addresses.
 */
class Productions {
  private count = 0;
  private readonly exact = new Map<bigint, Known>();
  private readonly ranged: Known[] = [];

  constructor(private readonly exactKept: number) {}

  /** [path, production, offset] for each reference a call makes. */
  refsOf(call: TraceCall): [string, Known, bigint][] {
    const out: [string, Known, bigint][] = [];
    for (const [path, v] of candidates(call)) {
      const found = this.lookup(v);
      if (found !== undefined) out.push([path, found, v - found.value]);
    }
    return out;
  }

  /**
   * Ends the objects a call names exactly in an argument the table marks `releases` (`refs`:
   * what refsOf found for it), as the call numbered `at`; an object already ended stays ended
   * where it was.
   */
  release(call: TraceCall, refs: readonly [string, Known, bigint][], at: number): void {
    const ends = endingPaths(call);
    if (ends.size === 0) return;
    for (const [path, k, offset] of refs)
      if (offset === 0n && k.endedAt === undefined && ends.has(path)) k.endedAt = at;
  }

  /**
   * Records a call's productions (those `keep` accepts); `onEach` sees each (to name it)
   * before it is findable.
   */
  add(
    call: TraceCall,
    onEach?: (k: Known, p: Production) => void,
    keep?: (p: Production) => boolean,
  ): void {
    for (const p of productionsOf(call)) {
      if (keep !== undefined && !keep(p)) continue;
      const k: Known = { idx: this.count++, value: p.value, extent: p.extent };
      onEach?.(k, p);
      // Re-inserted, so the first entries are the least recently used values.
      this.exact.delete(p.value);
      this.exact.set(p.value, k);
      if (this.exact.size > this.exactKept) {
        const oldest = this.exact.keys().next();
        if (oldest.done !== true) this.exact.delete(oldest.value);
      }
      if (p.extent > 0) {
        this.ranged.push(k);
        if (this.ranged.length > RANGE_WINDOW) this.ranged.shift();
      }
    }
  }

  /**
   * The newest production holding v: its exact value, else a range it is inside; one whose
   * object has ended only when no live one holds v.
   */
  private lookup(v: bigint): Known | undefined {
    const hit = this.exact.get(v);
    if (hit !== undefined) {
      // Least recently used goes first: a handle a long capture keeps using stays named.
      this.exact.delete(v);
      this.exact.set(v, hit);
      if (hit.endedAt === undefined) return hit;
    }
    let ended = hit;
    for (let i = this.ranged.length - 1; i >= 0; i--) {
      const k = this.ranged[i] as Known;
      if (v <= k.value || v >= k.value + BigInt(k.extent)) continue;
      if (k.endedAt === undefined) return k;
      ended ??= k;
    }
    return ended;
  }
}

/** Exact produced values the naming passes keep findable: bounds the memory of a long trace. */
export const namedExactKept = 1 << 16;

/**
 * Pass one of naming: which productions later calls refer to, a bit per production (so a
 * long streamed trace costs little). Feed it every call in order, then take `namer()`.
 */
export class ReferenceScan {
  private readonly productions: Productions;
  private bits = new Uint8Array(1024);
  private index = 0;

  constructor(private readonly exactKept = namedExactKept) {
    this.productions = new Productions(exactKept);
  }

  add(call: TraceCall): void {
    const refs = this.productions.refsOf(call);
    for (const [, k] of refs) {
      const byte = k.idx >>> 3;
      if (byte >= this.bits.length) {
        const grown = new Uint8Array(Math.max(this.bits.length * 2, byte + 1));
        grown.set(this.bits);
        this.bits = grown;
      }
      this.bits[byte] = (this.bits[byte] ?? 0) | (1 << (k.idx & 7));
    }
    this.productions.release(call, refs, this.index++);
    this.productions.add(call);
  }

  /** Pass two, to be fed the same calls in the same order. */
  namer(): Namer {
    return new Namer(this.bits, this.exactKept);
  }
}

/** Pass two of naming: each call's annotations, names numbered in file order. */
export class Namer {
  private readonly productions: Productions;
  private named = 0;
  private index = 0;

  constructor(
    private readonly used: Uint8Array,
    exactKept: number,
  ) {
    this.productions = new Productions(exactKept);
  }

  /** The next call's annotations. */
  notes(call: TraceCall): Map<string, string> {
    const notes = new Map<string, string>();
    const refs = this.productions.refsOf(call);
    for (const [path, k, offset] of refs) {
      // Pass one marked it, so pass two named it when it was produced.
      const name = k.name ?? '';
      notes.set(path, offset === 0n ? name : `${name}+0x${offset.toString(16)}`);
    }
    this.productions.release(call, refs, this.index++);
    this.productions.add(call, (k, p) => {
      if (((this.used[k.idx >>> 3] ?? 0) & (1 << (k.idx & 7))) === 0) return;
      k.name = `r${this.named++}`;
      const path = producedPath(p.at);
      notes.set(path, path === 'ret' ? k.name : `<${k.name}=>`);
    });
    return notes;
  }
}

/** Annotations for every call of a trace, index-aligned with its calls. */
export function nameProductions(calls: readonly TraceCall[]): Map<string, string>[] {
  const scan = new ReferenceScan();
  for (const call of calls) scan.add(call);
  const namer = scan.namer();
  return calls.map((call) => namer.notes(call));
}

/** A value a call was given that an earlier call produced (producerRefs). */
export interface ProducerRef {
  /** Where the value sits in the consuming call: "args.mdl", "args.pVrp.outputBuffer". */
  readonly path: string;
  /** The producing call's index. */
  readonly call: number;
  /** Where it sits in the producing call: "ret", "out.virtualAddress", "out.elements.0.address". */
  readonly at: string;
  /** The value's offset from the produced one (an address inside a produced range). */
  readonly offset: bigint;
  /** The call that ended the produced object, when it had ended before this call. */
  readonly freedAt?: number;
}

/**
 * For every call, the values it is given that an earlier call produced, found as the printer
 * finds what to name (the same lookups and bounds), among the productions `keep` accepts. A
 * call ends what it releases unless `takesEffect` says it did nothing (a misused one does
 * not: the printer, knowing no answers, takes every call to). A reference that finds only an
 * ended object says when it ended.
 */
export function producerRefs(
  calls: readonly TraceCall[],
  keep?: (callIndex: number, p: Production) => boolean,
  takesEffect?: (callIndex: number) => boolean,
): ProducerRef[][] {
  const productions = new Productions(namedExactKept);
  return calls.map((call, i) => {
    const refs: ProducerRef[] = [];
    const found = productions.refsOf(call);
    for (const [path, k, offset] of found) {
      if (k.origin === undefined) continue;
      const freedAt = k.endedAt;
      refs.push({ path, ...k.origin, offset, ...(freedAt === undefined ? {} : { freedAt }) });
    }
    if (takesEffect?.(i) !== false) productions.release(call, found, i);
    productions.add(
      call,
      (k, p) => {
        k.origin = { call: i, at: producedPath(p.at) };
      },
      keep === undefined ? undefined : (p) => keep(i, p),
    );
    return refs;
  });
}

const endingByFn = new Map<string, ReadonlySet<string>>();

/** The argument paths of a call that name an object it ends ("args.mappedAddress"). */
function endingPaths(call: TraceCall): ReadonlySet<string> {
  let paths = endingByFn.get(call.fn);
  if (paths === undefined) {
    const args = describe(call.fn)?.args.filter(releasesObject) ?? [];
    paths = new Set(args.map((a) => `args.${a.name}`));
    endingByFn.set(call.fn, paths);
  }
  return paths;
}
