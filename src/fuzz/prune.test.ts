import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../trace/jsonl.js';
import type { NamedTrace } from './base.js';
import { coverageOf, pruneCorpus, pruneCorpusUntil } from './prune.js';

function corpus(): NamedTrace[] {
  return readdirSync('corpus')
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .map((name) => {
      const r = parseJsonl(readFileSync(`corpus/${name}`, 'utf8'), name);
      if (!r.ok) throw new Error(r.error.message);
      return { name, trace: r.value };
    });
}

function union(traces: readonly NamedTrace[]): Set<number> {
  const all = new Set<number>();
  for (const t of traces) for (const k of coverageOf(t)) all.add(k);
  return all;
}

describe('pruneCorpus', () => {
  const traces = corpus();

  it('keeps exactly the coverage of the whole corpus', () => {
    const r = pruneCorpus(traces);
    const kept = traces.filter((t) => r.keep.includes(t.name));
    expect(union(kept)).toEqual(union(traces));
    expect(r.keys).toBe(union(traces).size);
    expect(r.keep.length + r.drop.length).toBe(traces.length);
  });

  it('drops a duplicate, and a trace whose coverage a smaller one already has', () => {
    const events = traces.find((t) => t.name === 'events.jsonl');
    if (events === undefined) throw new Error('events.jsonl missing from corpus/');
    const prefix = {
      name: 'zz-events-prefix.jsonl',
      trace: { ...events.trace, calls: events.trace.calls.slice(0, 5) },
    };
    const copy = { name: 'zz-events-copy.jsonl', trace: events.trace };
    const r = pruneCorpus([...traces, copy, prefix]);
    expect(r.drop).toContain('zz-events-copy.jsonl');
    // The prefix's keys are all reached by the full trace, but it is smaller: whichever is
    // kept, coverage is the same and the copy of the full trace never is.
    expect(union([...traces, copy, prefix].filter((t) => r.keep.includes(t.name)))).toEqual(
      union(traces),
    );
  });

  it('is deterministic', () => {
    expect(pruneCorpus([...traces].reverse())).toEqual(pruneCorpus(traces));
    const limits = { entriesMax: 4 };
    expect(pruneCorpus([...traces].reverse(), undefined, limits)).toEqual(
      pruneCorpus(traces, undefined, limits),
    );
  });

  it('under --entries-max keeps that many, and counts the coverage lost with the rest', () => {
    const whole = pruneCorpus(traces);
    expect(whole.keysKept).toBe(whole.keys);
    const r = pruneCorpus(traces, undefined, { entriesMax: 4 });
    expect(r.keep.length).toBe(4);
    const kept = union(traces.filter((t) => r.keep.includes(t.name)));
    expect(r.keysKept).toBe(kept.size);
    expect(r.keysKept).toBeLessThan(r.keys);
    // A key lost that a single trace reached is one whose trace went.
    const reach = new Map<number, number>();
    for (const t of traces) for (const k of coverageOf(t)) reach.set(k, (reach.get(k) ?? 0) + 1);
    const rareLost = [...reach].filter(([k, n]) => n === 1 && !kept.has(k)).length;
    expect(r.rareLost).toBe(rareLost);
  });

  it('under --bytes-max keeps what fits, counting each trace by its size', () => {
    const sized = traces.map((t) => ({ ...t, bytes: 1000 }));
    const r = pruneCorpus(sized, undefined, { bytesMax: 3500 });
    expect([r.keep.length, r.bytesKept, r.bytes]).toEqual([3, 3000, 1000 * traces.length]);
  });

  it('pruneCorpusUntil gives the same, or undefined once its signal has aborted', async () => {
    const ac = new AbortController();
    expect(await pruneCorpusUntil(traces, undefined, ac.signal)).toEqual(pruneCorpus(traces));
    ac.abort();
    expect(await pruneCorpusUntil(traces, undefined, ac.signal)).toBeUndefined();
  });
});
