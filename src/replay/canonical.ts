// A string of plain data (bigint-aware), for cheap deep comparison of target states.

const memo = new WeakMap<object, string>();

/** Memoized per object: a target may hand back the same state object while nothing changed. */
export function canonical(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    const text = stringify(value);
    memo.set(value, text);
    return text;
  }
  return stringify(value);
}

function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `0x${v.toString(16)}`;
    if (v instanceof Uint8Array) return Array.from(v);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}

/** The first top-level key whose value differs between two canonical object strings. */
export function firstDifferentKey(before: string, after: string): string {
  try {
    const a = JSON.parse(before) as Record<string, unknown>;
    const b = JSON.parse(after) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return k;
    }
  } catch {
    // not objects: fall through
  }
  return 'state';
}
