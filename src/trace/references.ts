// A captured trace names every handle a real system returned. A handle argument that no
// earlier call returned means the capture is broken (a dropped line, a mixed-up process), so
// it is bad input, reported before replay. Generated traces are exempt: they pass stale and
// foreign handles on purpose. The PDMA family's handles are never created by design.
import { describe } from '../model/calls.js';
import { RESOURCE_SPACE } from '../model/callTypes.js';
import type { Trace } from './trace.js';
import { productionsOf } from './produced.js';
import { traceError, type TraceError } from './traceError.js';

export function isCaptured(trace: Trace): boolean {
  return trace.calls.some((c) => c.ret !== undefined || c.out !== undefined);
}

/** The first handle argument that no earlier call produced, in a captured trace. */
export function checkReferences(trace: Trace, file?: string): TraceError | undefined {
  if (!isCaptured(trace)) return undefined;
  const seen = new Set<bigint>();
  for (let i = 0; i < trace.calls.length; i++) {
    const call = trace.calls[i];
    const desc = call === undefined ? undefined : describe(call.fn);
    if (call === undefined || desc === undefined) continue;
    if (desc.family !== 'inert') {
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
    }
    for (const p of productionsOf(call)) seen.add(p.value);
  }
  return undefined;
}
