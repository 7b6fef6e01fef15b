// The call-description table: every VideoPort function of spec §1–2 and every environment
// event, as data. Validation, the text printer/parser, generation, translation and
// minimization are all driven from here. Adding a function still takes more than its entry in
// a section file in ./calls/: its semantics in ./handlers/ and its line in step.ts HANDLERS
// (which does not compile without it), with handler tests; docs/calls.md regenerated, the spec
// list in calls.test.ts, and the C example target's dispatch, which tests hold to the table;
// and, for the fuzzer to reach it well, what README "Adding a function" lists (a coherence
// fix-up, MOMENTS, a producer for a new kind of object, a corpus scenario).
import type { ArgDesc, CallDesc } from './callTypes.js';
import { ENVIRONMENT_CALLS } from './calls/environment.js';
import { LEGACY_CALLS } from './calls/legacy.js';
import { MAPPING_CALLS } from './calls/mapping.js';
import { DMA_CALLS } from './calls/packetDma.js';

const TABLE = [...DMA_CALLS, ...LEGACY_CALLS, ...MAPPING_CALLS, ...ENVIRONMENT_CALLS] as const;

export const CALLS: readonly CallDesc[] = TABLE;

/** The table's function names, as a type: a map keyed by it must name every one. */
export type CallName = (typeof TABLE)[number]['fn'];

const BY_NAME: ReadonlyMap<string, CallDesc> = new Map(CALLS.map((c) => [c.fn, c]));

export function describe(fn: string): CallDesc | undefined {
  return BY_NAME.get(fn);
}

/** The function whose property the harness exists to prove: it returns NULL, changing nothing. */
export const MAP_DMA_FN: CallName = 'VideoPortMapDmaMemory';

/** The inert family: calls that must leave every byte and object exactly as they were. */
export const INERT_FNS: ReadonlySet<string> = new Set(
  CALLS.filter((c) => c.family === 'inert').map((c) => c.fn),
);

/** Whether an argument names an object the call ends (table: `releases`). */
export function releasesObject(a: ArgDesc): boolean {
  return a.role.kind === 'consumes' && a.role.releases === true;
}

/** Calls that end an object's life: frees, unlocks, puts, deletes, CompleteDma. */
export const RELEASING_FNS: ReadonlySet<string> = new Set(
  CALLS.filter((c) => c.args.some(releasesObject)).map((c) => c.fn),
);

/**
 * Whether a call creates something later calls use: a handle, mapping, buffer or list it
 * returns or writes to an out-parameter or a field of one (table: `produces`, `fieldProduces`).
 * Events included (@executeDma produces its list): filter them where they cannot count.
 */
export function producesObject(c: CallDesc): boolean {
  return (
    c.ret?.produces !== undefined ||
    c.out.some((o) => o.produces !== undefined || o.fieldProduces !== undefined)
  );
}

/** FNV-1a over the table's canonical JSON: changes whenever a description changes. */
export function tableRevision(): string {
  const text = JSON.stringify(CALLS, (_k, v: unknown) =>
    typeof v === 'bigint' ? `0x${v.toString(16)}` : v,
  );
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
