// A captured trace names every handle a real system returned. A handle argument that no
// earlier call returned means the capture is broken (a dropped line, a mixed-up process), so
// it is bad input, reported before replay. Generated traces are exempt: they pass stale and
// foreign handles on purpose. The PDMA family's handles are never created by design.
import { describe } from '../model/calls.js';
import { RESOURCE_SPACE } from '../model/callTypes.js';
import type { TraceCall } from '../model/values.js';
import type { Trace } from './trace.js';
import { productionsOf } from './produced.js';
import { traceError, type TraceError } from './traceError.js';

export function isCaptured(trace: Trace): boolean {
  return trace.calls.some((c) => c.ret !== undefined || c.out !== undefined);
}

/** The first handle argument that no earlier call produced, in a captured trace. */
export function checkReferences(trace: Trace, file?: string): TraceError | undefined {
  if (!isCaptured(trace)) return undefined;
  const check = new ReferenceCheck(file);
  for (const call of trace.calls) {
    check.add(call);
    if (check.broken !== undefined) return check.broken;
  }
  return undefined;
}

/**
 * The same check one call at a time, for a trace streamed from disk: whether the trace is
 * captured is known only at its end, so the first broken reference is kept until then.
 */
export class ReferenceCheck {
  private readonly seen: HandleSet;
  private index = 0;
  private captured = false;
  /** The first handle argument no earlier call produced (captured or not). */
  broken: TraceError | undefined;

  constructor(
    private readonly file?: string,
    exactMax = handlesExactMax,
  ) {
    this.seen = new HandleSet(exactMax);
  }

  add(call: TraceCall): void {
    const i = this.index++;
    if (call.ret !== undefined || call.out !== undefined) this.captured = true;
    if (this.broken !== undefined) return;
    this.broken = unproduced(call, i, this.seen, this.file);
    // Only handles are checked: addresses need not be held (a long trace makes millions).
    for (const p of productionsOf(call))
      if (RESOURCE_SPACE[p.res] === 'handle') this.seen.add(p.value);
  }

  /** After the last call: the broken reference, if the trace is a captured one. */
  result(): TraceError | undefined {
    return this.captured ? this.broken : undefined;
  }
}

/** Handles remembered exactly; after them a fixed 16 MiB filter (see HandleSet). */
const handlesExactMax = 1 << 20;
const filterWords = 1 << 22;

/**
 * Produced handles in bounded memory, for a streamed trace of any length: the first `exactMax`
 * exactly, the rest in a Bloom filter (3 probes into 2^27 bits). The filter can only answer
 * "seen" wrongly, never "not seen": past the exact ones a broken reference may go unreported
 * (about 1 in 1,000 at 5 million further handles), a valid trace is never refused.
 */
export class HandleSet {
  private readonly exact = new Set<bigint>();
  private filter: Int32Array | undefined;

  constructor(private readonly exactMax: number) {}

  add(v: bigint): void {
    if (this.exact.size < this.exactMax || this.exact.has(v)) {
      this.exact.add(v);
      return;
    }
    const f = (this.filter ??= new Int32Array(filterWords));
    for (const bit of probes(v)) f[bit >>> 5] = (f[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }

  has(v: bigint): boolean {
    if (this.exact.has(v)) return true;
    const f = this.filter;
    if (f === undefined) return false;
    for (const bit of probes(v)) if (((f[bit >>> 5] ?? 0) & (1 << (bit & 31))) === 0) return false;
    return true;
  }
}

/** Three bit positions for v (double hashing of two 32-bit mixes of its halves). */
function probes(v: bigint): [number, number, number] {
  const lo = Number(BigInt.asUintN(32, v));
  const hi = Number(BigInt.asUintN(32, v >> 32n));
  const h1 = mix(lo ^ Math.imul(hi, 0x9e3779b1));
  const h2 = mix(hi ^ Math.imul(lo, 0x85ebca6b)) | 1;
  const mask = filterWords * 32 - 1;
  return [h1 & mask, (h1 + h2) & mask, (h1 + 2 * h2) & mask];
}

function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function unproduced(
  call: TraceCall,
  i: number,
  seen: { has(v: bigint): boolean },
  file: string | undefined,
): TraceError | undefined {
  const desc = describe(call.fn);
  if (desc === undefined || desc.family === 'inert') return undefined;
  for (const a of desc.args) {
    if (
      a.role.kind !== 'consumes' ||
      a.role.res === 'pdma' ||
      RESOURCE_SPACE[a.role.res] !== 'handle'
    )
      continue;
    const v = call.args[a.name];
    if (typeof v === 'bigint' && v !== 0n && !seen.has(v)) {
      // JSONL: the header is line 1, call i is line i + 2.
      const line = /\.jsonl(\.gz)?$/i.test(file ?? '') ? { line: i + 2 } : {};
      const where = file === undefined ? { callIndex: i } : { file, callIndex: i, ...line };
      return traceError(
        where,
        `args.${a.name}`,
        `${call.fn} uses ${a.role.res} handle 0x${v.toString(16)}, which no earlier call returned`,
      );
    }
  }
  return undefined;
}
