// How often each base entry is chosen for mutation (libFuzzer's entropic scheduling in
// miniature): every coverage key the base reaches is worth one share, split equally among the
// entries that reach it, and every entry gets one share on top. An entry that alone reaches a
// state (a transfer in flight beside a live common buffer, say) is picked more often than one
// whose every key others reach too, and near-copies of an entry split its energy instead of
// multiplying it. Integers, so the choice is one draw of the project Rng.

/** Weight units per share. */
const unit = 16;

/** One weight (>= unit) per entry, from the distinct coverage keys each reaches. */
export function energies(keysPerEntry: readonly Iterable<number>[]): number[] {
  const reach = new Map<number, number>();
  for (const keys of keysPerEntry) for (const k of keys) reach.set(k, (reach.get(k) ?? 0) + 1);
  return keysPerEntry.map((keys) => {
    let shares = 0;
    for (const k of keys) shares += 1 / (reach.get(k) ?? 1);
    return unit + Math.round(unit * shares);
  });
}

/**
 * energies() of the first `count` entries, their keys given as dense ids (0 to idCount - 1) in
 * the order energies() would meet them: the same weights, from typed arrays (--rounds weighs a
 * base of thousands of entries again at each round; with a Map of keys that took tens of ms).
 */
export function denseEnergies(
  idsPerEntry: readonly Int32Array[],
  idCount: number,
  count = idsPerEntry.length,
): number[] {
  const reach = new Int32Array(idCount);
  for (let e = 0; e < count; e++)
    for (const id of idsPerEntry[e] as Int32Array) reach[id] = (reach[id] as number) + 1;
  const out: number[] = [];
  for (let e = 0; e < count; e++) {
    let shares = 0;
    for (const id of idsPerEntry[e] as Int32Array) shares += 1 / (reach[id] as number);
    out.push(unit + Math.round(unit * shares));
  }
  return out;
}
