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
  private readonly seen = new Set<bigint>();
  private index = 0;
  private captured = false;
  /** The first handle argument no earlier call produced (captured or not). */
  broken: TraceError | undefined;

  constructor(private readonly file?: string) {}

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

function unproduced(
  call: TraceCall,
  i: number,
  seen: ReadonlySet<bigint>,
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
      const line = file?.endsWith('.jsonl') === true ? { line: i + 2 } : {};
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
