// The base corpus of a campaign, fixed when it starts: the bundled corpus and the --corpus
// directory, in name order. Workers get it as shared .vpt bytes; this thread lifts it too (to
// regenerate cases) and measures the coverage it already reaches, against which novelty is
// judged and from which each entry's energy comes (energy.ts; shared with the workers too).
// Under --corpus-max the directory's entries are measured all the same, and those a greedy
// cover ranks past the cap (cover.ts) are left out of the base here, before case 0.
// The target edges an entry's meta records (edgeMeta.ts) count too, without running the
// target: covered already, and keys of their own namespace in the energy.
import { hashBytes, hashString } from '../core/hash.js';
import type { Profile } from '../model/device.js';
import type { Trace } from '../trace/trace.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';
import { materialize, type BaseEntry } from './caseGen.js';
import { coverageKey, stateShape } from './coverage.js';
import { reachedLabel } from './reached.js';
import { energies } from './energy.js';
import { liftTrace } from './lift.js';
import { chooseCover } from './cover.js';
import { edgeKey, recordedEdges } from './edgeMeta.js';
import type { SharedBase } from './protocol.js';
import { profileOf, resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';

export interface NamedTrace {
  readonly name: string;
  readonly trace: Trace;
  /**
   * The trace's .vpt bytes as its file holds them (store/corpus.ts: a content-addressed entry),
   * shared as they are: encoding 8,514 entries again took 1.3 s of a 7 s load (BENCHMARKS.md,
   * "The kept corpus at nightly scale"). The workers decode them to this trace all the same.
   */
  readonly encoded?: Uint8Array;
}

export interface Base {
  readonly shared: SharedBase;
  readonly entries: readonly BaseEntry[];
  readonly keys: ReadonlySet<number>;
  /** The target edge ids the entries' meta records (edgeMeta.ts): covered before case 0. */
  readonly edges: ReadonlySet<number>;
  /** The keys' labels (reached.ts), sorted. */
  readonly reached: readonly string[];
}

/** A copy of `bytes` in shared memory. */
function shared(bytes: Uint8Array): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(Math.max(1, bytes.length));
  new Uint8Array(sab).set(bytes);
  return sab;
}

function share(named: readonly NamedTrace[], weights: readonly number[]): SharedBase {
  const encoded = named.map((n) => n.encoded ?? encodeVpt(n.trace));
  const total = encoded.reduce((s, b) => s + b.length, 0);
  const bytes = new SharedArrayBuffer(Math.max(1, total));
  const view = new Uint8Array(bytes);
  const offsets = new Float64Array(new SharedArrayBuffer(Math.max(8, 16 * encoded.length)));
  let at = 0;
  encoded.forEach((b, i) => {
    view.set(b, at);
    offsets[2 * i] = at;
    offsets[2 * i + 1] = at + b.length;
    at += b.length;
  });
  const names = named.map((n) => n.name);
  // The entries' bytes too (their lengths seed the hash): one byte edited in place, of
  // the same length, is another base, whose cases differ.
  const contents = hashBytes(
    view.subarray(0, total),
    hashString(encoded.map((b) => b.length).join()),
  );
  const id = `${names.length}:${total}:${hashString(names.join('\n'))}:${hashString(weights.join())}:${contents}`;
  const nameBytes = shared(new TextEncoder().encode(JSON.stringify(names)));
  const w = new Uint32Array(new SharedArrayBuffer(Math.max(4, 4 * weights.length)));
  w.set(weights);
  return { id, bytes, offsets: offsets.buffer, names: nameBytes, weights: w.buffer };
}

let cached: { id: string; entries: readonly BaseEntry[] } | undefined;

/**
 * The base corpus as programs, decoded and lifted once per thread (the thread that built it
 * already has them: buildBase leaves them here).
 */
export function baseEntries(base: SharedBase): readonly BaseEntry[] {
  if (cached?.id === base.id) return cached.entries;
  const names = JSON.parse(
    new TextDecoder().decode(new Uint8Array(base.names).slice()),
  ) as string[];
  const offsets = new Float64Array(base.offsets);
  const bytes = new Uint8Array(base.bytes);
  const weights = new Uint32Array(base.weights);
  const entries: BaseEntry[] = [];
  names.forEach((name, i) => {
    const r = decodeVpt(bytes.slice(offsets[2 * i] ?? 0, offsets[2 * i + 1] ?? 0), name);
    const weight = weights[i] ?? 1;
    if (r.ok) entries.push({ name, header: r.value.header, program: liftTrace(r.value), weight });
  });
  cached = { id: base.id, entries };
  return entries;
}

/** Coverage keys an entry reaches when materialized under `profile` (without `disabled`). */
export function entryKeys(
  e: Omit<BaseEntry, 'weight'>,
  callsMax: number,
  profile?: Profile,
  disabled?: readonly string[],
  /** Filled with each key's label (reached.ts), the first time it is met. */
  labels?: Map<number, string>,
): number[] {
  const header = profile === undefined ? e.header : { ...e.header, profile };
  const off = disabled === undefined ? {} : { disabled: new Set(disabled) };
  const program = { header, program: e.program, ...off };
  const trace = materialize(program, Math.max(callsMax, e.program.length));
  const model = new Model({
    device: resolveDevice(header.device),
    profile: profileOf(header),
  });
  const keys: number[] = [];
  for (const c of trace.calls) {
    const stepped = model.step(c.fn, c.args);
    const key = coverageKey(c.fn, stepped, model.state);
    keys.push(key);
    if (labels !== undefined && !labels.has(key))
      labels.set(key, reachedLabel(c.fn, stepped, stateShape(model.state)));
  }
  return keys;
}

/** A cap on the base's entries from the --corpus directory (`--corpus-max`). */
export interface BaseCap {
  readonly entriesMax: number;
  /** The entries it applies to, by name; the others (the bundled corpus) always stay. */
  readonly capped: ReadonlySet<string>;
}

/** What a cap left out (only when there were more entries than it allows). */
export interface Capped {
  readonly entriesMax: number;
  /** Capped entries before: more than entriesMax. */
  readonly entries: number;
  /** Names left out, sorted. */
  readonly dropped: readonly string[];
  /** Keys the capped entries reached beyond the others', and how many of them the kept reach. */
  readonly keys: number;
  readonly keysKept: number;
  /** Keys one capped entry alone reached, lost with it. */
  readonly rareLost: number;
}

export function buildBase(
  named: readonly NamedTrace[],
  callsMax: number,
  profile?: Profile,
  disabled?: readonly string[],
  cap?: BaseCap,
  /** Also return each entry's keys and edge keys, which its energy comes from (--rounds). */
  keysPerEntry = false,
): Base & { readonly capped?: Capped; readonly entryKeys?: readonly (readonly number[])[] } {
  const byName = [...named].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const labels = new Map<number, string>();
  const measured = byName.map((n) => {
    const e = { name: n.name, header: n.trace.header, program: liftTrace(n.trace) };
    const keys = new Set(entryKeys(e, callsMax, profile, disabled, labels));
    return { n, e, keys, edges: recordedEdges(n.trace.header) };
  });
  // The cap's cover counts recorded edges as keys too: an entry kept for edges stays.
  const cut =
    cap === undefined
      ? undefined
      : capBase(
          measured.map((m) => ({ n: m.n, keys: withEdgeKeys(m.keys, m.edges) })),
          cap,
        );
  const kept = cut === undefined ? measured : measured.filter((m) => !cut.dropSet.has(m.n.name));
  const keys = new Set<number>();
  for (const m of kept) for (const k of m.keys) keys.add(k);
  const edges = new Set<number>();
  for (const m of kept) for (const e of m.edges) edges.add(e);
  // Recorded edges are worth a share each, as model keys are: an entry alone in reaching
  // one is picked more often.
  const perEntry = kept.map((m) => withEdgeKeys(m.keys, m.edges));
  const weights = energies(perEntry);
  const entries: BaseEntry[] = kept.map((m, i) => ({ ...m.e, weight: weights[i] ?? 1 }));
  const shared = share(
    kept.map((m) => m.n),
    weights,
  );
  // What a worker decodes from `shared` is what this thread lifted (the .vpt round trip is
  // lossless), so cases this thread runs itself need no second decoding.
  cached = { id: shared.id, entries };
  const reached = [...new Set([...keys].map((k) => labels.get(k) ?? ''))].sort();
  return {
    shared,
    entries,
    keys,
    edges,
    reached,
    ...(cut === undefined ? {} : { capped: cut.capped }),
    ...(keysPerEntry ? { entryKeys: perEntry.map((k) => [...k]) } : {}),
  };
}

/** Model keys and recorded edges (as edgeKey) in one set, for energies and covers. */
export function withEdgeKeys(keys: ReadonlySet<number>, edges: readonly number[]): Set<number> {
  const all = new Set(keys);
  for (const e of edges) all.add(edgeKey(e));
  return all;
}

/** Which capped entries go (cover.ts's order, the others' keys counted as covered). */
function capBase(
  measured: readonly { n: NamedTrace; keys: ReadonlySet<number> }[],
  cap: BaseCap,
): { capped: Capped; dropSet: ReadonlySet<string> } | undefined {
  const mine = measured.filter((m) => cap.capped.has(m.n.name));
  if (mine.length <= cap.entriesMax) return undefined;
  const covered = new Set<number>();
  for (const m of measured) if (!cap.capped.has(m.n.name)) for (const k of m.keys) covered.add(k);
  const entries = mine.map((m) => ({
    name: m.n.name,
    calls: m.n.trace.calls.length,
    bytes: 0,
    keys: m.keys,
  }));
  const c = chooseCover(entries, { entriesMax: cap.entriesMax }, covered);
  const capped = {
    entriesMax: cap.entriesMax,
    entries: mine.length,
    dropped: c.drop,
    keys: c.keys,
    keysKept: c.keysKept,
    rareLost: c.rareLost,
  };
  return { capped, dropSet: new Set(c.drop) };
}
