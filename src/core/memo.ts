// Per-process memoization with a bound (STYLE lesson 12): what is cheap to keep but costly to
// build again, such as a seed's swarm configurations or the arbitraries drawn from them.

/** `make()`'s value for `key`, built once; the cache is emptied when it grows past `entriesMax`. */
export function memo<V>(cache: Map<string, V>, key: string, entriesMax: number, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size > entriesMax) cache.clear();
    v = make();
    cache.set(key, v);
  }
  return v;
}
