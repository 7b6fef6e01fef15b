// Which corpus entries to keep: a greedy set cover of the coverage keys, as libFuzzer's
// -set_cover_merge does, weighted by rarity as energy.ts weights them. Every key is worth
// 1/(how many entries reach it), in fixed point so that sums are exact; the entry adding the
// most uncovered worth is taken next (ties: fewer calls, then the lexically first name), until
// nothing adds a key. The order is a priority: cut it after N entries (or bytes) and what is
// kept holds the rare keys first, and as many keys as the greedy order can (the classic
// (1 - 1/e) bound of max coverage). Lazy: gains only ever fall, so an entry is re-scored only
// when it comes to the top of the heap. The result depends on the entries as a set, never on
// the order given.

export interface CoverEntry {
  readonly name: string;
  readonly calls: number;
  /** Size on disk (what a --bytes-max counts). */
  readonly bytes: number;
  readonly keys: ReadonlySet<number>;
}

export interface CoverLimits {
  readonly entriesMax?: number;
  readonly bytesMax?: number;
}

export interface Cover {
  /** Names to keep, in priority order (the first adds the most). */
  readonly keep: readonly string[];
  /** Names left out, sorted. */
  readonly drop: readonly string[];
  /** Keys the entries reach (not counting `covered`). */
  readonly keys: number;
  /** Of those, the keys the kept entries still reach. */
  readonly keysKept: number;
  /** Keys exactly one entry reached that no kept entry reaches. */
  readonly rareLost: number;
  readonly bytesKept: number;
}

/** Fixed-point unit of a key's worth: a key one entry reaches is worth this much. */
const WORTH_UNIT = 1 << 20;

interface Scored {
  gain: number;
  readonly e: CoverEntry;
}

/** Whether a comes before b: more gain, then fewer calls, then the lexically first name. */
function before(a: Scored, b: Scored): boolean {
  if (a.gain !== b.gain) return a.gain > b.gain;
  if (a.e.calls !== b.e.calls) return a.e.calls < b.e.calls;
  return a.e.name < b.e.name;
}

class Heap {
  private readonly items: Scored[] = [];

  get size(): number {
    return this.items.length;
  }

  push(x: Scored): void {
    const h = this.items;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i] as Scored, h[p] as Scored)) break;
      [h[i], h[p]] = [h[p] as Scored, h[i] as Scored];
      i = p;
    }
  }

  pop(): Scored | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      let b = i;
      if (l < h.length && before(h[l] as Scored, h[b] as Scored)) b = l;
      if (l + 1 < h.length && before(h[l + 1] as Scored, h[b] as Scored)) b = l + 1;
      if (b === i) break;
      [h[i], h[b]] = [h[b] as Scored, h[i] as Scored];
      i = b;
    }
    return top;
  }
}

/**
 * The entries in cover order, each adding at least one key not in `covered` (nor reached by
 * an entry before it); entries adding none are left out.
 */
export function coverOrder(
  entries: readonly CoverEntry[],
  covered: ReadonlySet<number> = new Set(),
): CoverEntry[] {
  const reach = new Map<number, number>();
  for (const e of entries)
    for (const k of e.keys) if (!covered.has(k)) reach.set(k, (reach.get(k) ?? 0) + 1);
  const taken = new Set<number>();
  const gainOf = (e: CoverEntry): number => {
    let g = 0;
    for (const k of e.keys) {
      const n = reach.get(k);
      if (n !== undefined && !taken.has(k)) g += Math.max(1, Math.floor(WORTH_UNIT / n));
    }
    return g;
  };
  const heap = new Heap();
  for (const e of entries) {
    const gain = gainOf(e);
    if (gain > 0) heap.push({ gain, e });
  }
  const order: CoverEntry[] = [];
  for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
    const gain = gainOf(top.e);
    if (gain === 0) continue;
    // Fallen since it was scored: back in at its worth now, behind what still beats it.
    if (gain < top.gain) {
      heap.push({ gain, e: top.e });
      continue;
    }
    order.push(top.e);
    for (const k of top.e.keys) taken.add(k);
  }
  return order;
}

/**
 * What to keep of `entries`: the cover (every key any of them reaches, beyond `covered`), cut
 * to `limits` in cover order. A bytes limit skips an entry that does not fit and goes on to
 * the next, smaller one.
 */
export function chooseCover(
  entries: readonly CoverEntry[],
  limits: CoverLimits = {},
  covered: ReadonlySet<number> = new Set(),
): Cover {
  const order = coverOrder(entries, covered);
  const keep: CoverEntry[] = [];
  let bytes = 0;
  for (const e of order) {
    if (keep.length >= (limits.entriesMax ?? Number.POSITIVE_INFINITY)) break;
    if (bytes + e.bytes > (limits.bytesMax ?? Number.POSITIVE_INFINITY)) continue;
    keep.push(e);
    bytes += e.bytes;
  }
  const reach = new Map<number, number>();
  for (const e of entries)
    for (const k of e.keys) if (!covered.has(k)) reach.set(k, (reach.get(k) ?? 0) + 1);
  const kept = new Set<number>();
  for (const e of keep) for (const k of e.keys) if (reach.has(k)) kept.add(k);
  let rareLost = 0;
  for (const [k, n] of reach) if (n === 1 && !kept.has(k)) rareLost++;
  const names = new Set(keep.map((e) => e.name));
  return {
    keep: keep.map((e) => e.name),
    drop: entries
      .map((e) => e.name)
      .filter((n) => !names.has(n))
      .sort(),
    keys: reach.size,
    keysKept: kept.size,
    rareLost,
    bytesKept: bytes,
  };
}
