// The values a call produces (table: ret/out `produces`, `fieldProduces`): handles and ranges
// later calls refer to. Used by the text printer (rN names) and by `show` (objects created).
import type { Produces, ResourceKind } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import type { Struct, TraceCall, Value } from '../model/values.js';
import { isStruct } from '../model/values.js';

/** Where in a call a produced value sits. */
export type ProducedAt =
  | { readonly in: 'ret' }
  | { readonly in: 'out'; readonly name: string; readonly field?: string; readonly index?: number };

export interface Production {
  readonly res: ResourceKind;
  readonly value: bigint;
  /** Bytes of the range starting at value; 0 for a handle or an unknown extent. */
  readonly extent: number;
  readonly at: ProducedAt;
}

/** Non-NULL produced values of one (valid) call, in ret, out order. */
export function productionsOf(call: TraceCall): Production[] {
  const desc = describe(call.fn);
  const found: Production[] = [];
  if (desc === undefined) return found;
  const p = desc.ret?.produces;
  if (p !== undefined && typeof call.ret === 'bigint' && call.ret !== 0n) {
    found.push({ res: p.res, value: call.ret, extent: extentOf(call, p), at: { in: 'ret' } });
  }
  if (call.out === undefined) return found;
  for (const o of desc.out) {
    const v = call.out[o.name];
    if (o.produces !== undefined && typeof v === 'bigint' && v !== 0n) {
      const extent = extentOf(call, o.produces);
      found.push({ res: o.produces.res, value: v, extent, at: { in: 'out', name: o.name } });
    }
    if (o.fieldProduces === undefined || v === undefined) continue;
    for (const [field, fp] of Object.entries(o.fieldProduces)) {
      if (isStruct(v)) addField(found, call, v, field, fp, { in: 'out', name: o.name, field });
      else if (Array.isArray(v)) {
        (v as readonly Struct[]).forEach((el, index) =>
          addField(found, call, el, field, fp, { in: 'out', name: o.name, field, index }),
        );
      }
    }
  }
  return found;
}

function addField(
  found: Production[],
  call: TraceCall,
  s: Struct,
  field: string,
  p: Produces,
  at: ProducedAt,
): void {
  const v = s[field];
  if (typeof v !== 'bigint' || v === 0n) return;
  // A field's extent names a sibling field first (an SG element's `length`), then an arg.
  const sibling = p.extent === undefined ? undefined : s[p.extent];
  const extent = typeof sibling === 'number' ? sibling : extentOf(call, p);
  found.push({ res: p.res, value: v, extent, at });
}

function extentOf(call: TraceCall, p: Produces): number {
  if (p.extent === undefined) return 0;
  const v: Value | undefined = p.extent.startsWith('out.')
    ? call.out?.[p.extent.slice(4)]
    : call.args[p.extent];
  return typeof v === 'number' ? v : 0;
}
