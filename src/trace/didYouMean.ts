// "Did you mean" for a name a trace misspells: a function, an argument, a key. Capture tools
// are written from headers and docs, so the usual slips are case (`HwDeviceExtension`), a
// dropped prefix (`GetDeviceBase`) and a typo; the candidates always come from the table
// that rejected the name (the call table, a record's fields, the header's keys).

/** Longer names are not compared: a hostile 50 MB key must not cost a quadratic distance. */
const givenCharsMax = 64;

/** The one candidate close to `given`, if there is exactly one at the closest distance. */
export function closestName(given: string, candidates: Iterable<string>): string | undefined {
  if (given.length === 0 || given.length > givenCharsMax) return undefined;
  const lower = given.toLowerCase();
  const names = [...candidates];
  const same = names.filter((n) => n.toLowerCase() === lower);
  if (same.length > 0) return unique(same);
  // A prefix left off (`GetDeviceBase` for `VideoPortGetDeviceBase`, `read` for `@read`).
  const suffix = lower.length >= 3 ? names.filter((n) => n.toLowerCase().endsWith(lower)) : [];
  if (suffix.length > 0) return unique(suffix);
  const allowed = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  let best: string[] = [];
  let bestDistance = allowed + 1;
  for (const n of names) {
    const d = distance(lower, n.toLowerCase(), allowed + 1);
    if (d < bestDistance) [best, bestDistance] = [[n], d];
    else if (d === bestDistance) best.push(n);
  }
  return bestDistance <= allowed ? unique(best) : undefined;
}

/** `; did you mean "x"?`, or '' when nothing is close. */
export function didYouMean(given: string, candidates: Iterable<string>): string {
  const n = closestName(given, candidates);
  return n === undefined ? '' : `; did you mean ${JSON.stringify(n)}?`;
}

function unique(names: readonly string[]): string | undefined {
  return names.length === 1 ? names[0] : undefined;
}

/** Levenshtein distance if it is below `cap`, else `cap`. */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const v = Math.min(sub, (prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin >= cap) return cap;
    prev = row;
  }
  return Math.min(prev[b.length] ?? cap, cap);
}
