// --corpus-max in the base: within the cap the base is what it was without one; over it, the
// base is exactly the one built from the entries kept (same id, weights, keys and reached
// table), the entries outside the cap (the bundled corpus) always stay, and what was left out
// is counted truly.
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase, entryKeys } from './base.js';
import { liftTrace } from './lift.js';
import type { NamedTrace } from './base.js';

const all: NamedTrace[] = await readCorpusDir(bundledCorpusDir(), () => undefined);
/** The first five stand for the bundled corpus, the rest for a --corpus directory. */
const fixed = all.slice(0, 5);
const mine = all.slice(5);
const capped = new Set(mine.map((t) => t.name));

const keysOf = (t: NamedTrace): Set<number> =>
  new Set(entryKeys({ name: t.name, header: t.trace.header, program: liftTrace(t.trace) }, 64));

describe('buildBase with a cap', () => {
  it('within the cap is the base without one', () => {
    const plain = buildBase(all, 64);
    const within = buildBase(all, 64, undefined, undefined, { entriesMax: mine.length, capped });
    expect(within.capped).toBeUndefined();
    expect(within.shared.id).toBe(plain.shared.id);
    expect(within.reached).toEqual(plain.reached);
  });

  it('over it, is the base of the entries kept, and counts what went', () => {
    const cap = { entriesMax: 3, capped };
    const b = buildBase(all, 64, undefined, undefined, cap);
    const c = b.capped;
    if (c === undefined) throw new Error('not capped');
    expect([c.entriesMax, c.entries, c.dropped.length]).toEqual([3, mine.length, mine.length - 3]);
    expect(c.dropped).toEqual([...c.dropped].sort());
    for (const t of fixed) expect(c.dropped).not.toContain(t.name);
    const kept = all.filter((t) => !c.dropped.includes(t.name));
    expect(kept.length).toBe(fixed.length + 3);
    const again = buildBase(kept, 64);
    expect(b.shared.id).toBe(again.shared.id);
    expect(b.entries.map((e) => [e.name, e.weight])).toEqual(
      again.entries.map((e) => [e.name, e.weight]),
    );
    expect([...b.keys].sort()).toEqual([...again.keys].sort());
    expect(b.reached).toEqual(again.reached);
    // The keys the capped entries reached beyond the fixed ones', and how many stayed.
    const covered = new Set(fixed.flatMap((t) => [...keysOf(t)]));
    const beyond = (ts: readonly NamedTrace[]): number =>
      new Set(ts.flatMap((t) => [...keysOf(t)]).filter((k) => !covered.has(k))).size;
    expect(c.keys).toBe(beyond(mine));
    expect(c.keysKept).toBe(beyond(kept.filter((t) => capped.has(t.name))));
    expect(c.keysKept).toBeLessThan(c.keys);
    // The same cap on the same entries listed in another order chooses the same.
    expect(buildBase([...all].reverse(), 64, undefined, undefined, cap).capped).toEqual(c);
  });
});
