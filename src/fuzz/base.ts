// The base corpus of a campaign, fixed when it starts: the bundled corpus and the --corpus
// directory, in name order. Workers get it as shared .vpt bytes; this thread lifts it too (to
// regenerate cases) and measures the coverage it already reaches, against which novelty is
// judged and from which each entry's energy comes (energy.ts; shared with the workers too).
import { hashBytes, hashString } from '../core/hash.js';
import type { Profile } from '../model/device.js';
import type { Trace } from '../trace/trace.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';
import { materialize, type BaseEntry } from './caseGen.js';
import { coverageKey, stateShape } from './coverage.js';
import { reachedLabel } from './reached.js';
import { energies } from './energy.js';
import { liftTrace } from './lift.js';
import type { SharedBase } from './protocol.js';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';

export interface NamedTrace {
  readonly name: string;
  readonly trace: Trace;
}

export interface Base {
  readonly shared: SharedBase;
  readonly entries: readonly BaseEntry[];
  readonly keys: ReadonlySet<number>;
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
  const encoded = named.map((n) => encodeVpt(n.trace));
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
  /** Filled with the keys' labels (reached.ts). */
  labels?: Set<string>,
): number[] {
  const header = profile === undefined ? e.header : { ...e.header, profile };
  const off = disabled === undefined ? {} : { disabled: new Set(disabled) };
  const program = { header, program: e.program, ...off };
  const trace = materialize(program, Math.max(callsMax, e.program.length));
  const model = new Model({
    device: resolveDevice(header.device),
    profile: header.profile ?? 'docs',
  });
  const keys: number[] = [];
  for (const c of trace.calls) {
    const stepped = model.step(c.fn, c.args);
    keys.push(coverageKey(c.fn, stepped, model.state));
    labels?.add(reachedLabel(c.fn, stepped, stateShape(model.state)));
  }
  return keys;
}

export function buildBase(
  named: readonly NamedTrace[],
  callsMax: number,
  profile?: Profile,
  disabled?: readonly string[],
): Base {
  const sorted = [...named].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lifted = sorted.map((n) => ({
    name: n.name,
    header: n.trace.header,
    program: liftTrace(n.trace),
  }));
  const labels = new Set<string>();
  const reached = lifted.map((e) => new Set(entryKeys(e, callsMax, profile, disabled, labels)));
  const keys = new Set<number>();
  for (const r of reached) for (const k of r) keys.add(k);
  const weights = energies(reached);
  const entries: BaseEntry[] = lifted.map((e, i) => ({ ...e, weight: weights[i] ?? 1 }));
  const shared = share(sorted, weights);
  // What a worker decodes from `shared` is what this thread lifted (the .vpt round trip is
  // lossless), so cases this thread runs itself need no second decoding.
  cached = { id: shared.id, entries };
  return { shared, entries, keys, reached: [...labels].sort() };
}
