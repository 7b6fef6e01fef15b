// The text format's naming pass: which produced values later args refer to, and the rN name
// each referenced production gets. Only referenced productions are named, in file order.
import { describe } from '../model/calls.js';
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

interface Ref {
  readonly call: number;
  readonly path: string;
  readonly prod: number;
  readonly offset: bigint;
}

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

/** Annotations for every call of a trace, index-aligned with its calls. */
export function nameProductions(calls: readonly TraceCall[]): Map<string, string>[] {
  const prods: { call: number; p: Production }[] = [];
  const exact = new Map<bigint, number>();
  const ranged: number[] = [];
  const refs: Ref[] = [];
  const used = new Set<number>();
  calls.forEach((call, i) => {
    for (const [path, v] of candidates(call)) {
      const found = lookup(v, exact, ranged, prods);
      if (found === undefined) continue;
      used.add(found);
      refs.push({ call: i, path, prod: found, offset: v - (prods[found]?.p.value ?? v) });
    }
    for (const p of productionsOf(call)) {
      const idx = prods.push({ call: i, p }) - 1;
      exact.set(p.value, idx);
      if (p.extent > 0) {
        ranged.push(idx);
        if (ranged.length > RANGE_WINDOW) ranged.shift();
      }
    }
  });
  return annotate(calls.length, prods, refs, used);
}

function lookup(
  v: bigint,
  exact: ReadonlyMap<bigint, number>,
  ranged: readonly number[],
  prods: readonly { p: Production }[],
): number | undefined {
  const hit = exact.get(v);
  if (hit !== undefined) return hit;
  for (let k = ranged.length - 1; k >= 0; k--) {
    const idx = ranged[k] as number;
    const p = (prods[idx] as { p: Production }).p;
    if (v > p.value && v < p.value + BigInt(p.extent)) return idx;
  }
  return undefined;
}

function annotate(
  count: number,
  prods: readonly { call: number; p: Production }[],
  refs: readonly Ref[],
  used: ReadonlySet<number>,
): Map<string, string>[] {
  const notes = Array.from({ length: count }, () => new Map<string, string>());
  const names = new Map<number, string>();
  prods.forEach((entry, idx) => {
    if (!used.has(idx)) return;
    const name = `r${names.size}`;
    names.set(idx, name);
    const path = producedPath(entry.p.at);
    notes[entry.call]?.set(path, path === 'ret' ? name : `<${name}=>`);
  });
  for (const r of refs) {
    const name = names.get(r.prod) as string;
    notes[r.call]?.set(r.path, r.offset === 0n ? name : `${name}+0x${r.offset.toString(16)}`);
  }
  return notes;
}
