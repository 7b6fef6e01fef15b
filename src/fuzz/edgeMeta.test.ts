// A kept case's target edges, recorded in its corpus entry and read back by the next run's
// base: covered before case 0, worth energy, and kept by prune.
import { describe, expect, it } from 'vitest';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { formatJsonl, parseJsonl } from '../trace/jsonl.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';
import type { Trace } from '../trace/trace.js';
import { buildBase, type NamedTrace } from './base.js';
import { edgeKey, edgesRecordedMax, recordedEdges, withEdges } from './edgeMeta.js';
import { pruneCorpus } from './prune.js';

const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
const first = bundled[0];
if (first === undefined) throw new Error('the bundled corpus is empty');

describe('recording edges in meta', () => {
  it('records them ascending beside the meta there was, and reads them back', () => {
    const t = withEdges(first.trace, [3, 9, 0xffffffff]);
    expect(t.header.meta['targetEdges']).toEqual([3, 9, 0xffffffff]);
    expect(t.header.meta['targetEdgesTotal']).toBeUndefined();
    for (const [k, v] of Object.entries(first.trace.header.meta))
      expect(t.header.meta[k]).toEqual(v);
    expect(recordedEdges(t.header)).toEqual([3, 9, 0xffffffff]);
    // Through .vpt and JSONL, as a corpus entry is stored.
    const vpt = decodeVpt(encodeVpt(t), 'x.vpt');
    if (!vpt.ok) throw new Error(vpt.error.message);
    expect(recordedEdges(vpt.value.header)).toEqual([3, 9, 0xffffffff]);
    const jsonl = parseJsonl(formatJsonl(t), 'x.jsonl');
    if (!jsonl.ok) throw new Error(jsonl.error.message);
    expect(recordedEdges(jsonl.value.header)).toEqual([3, 9, 0xffffffff]);
  });

  it('records the lowest edgesRecordedMax, says how many there were, and stays valid meta', () => {
    const many = Array.from({ length: edgesRecordedMax + 5 }, (_, i) => 4_000_000_000 + i);
    const t = withEdges(first.trace, many);
    expect(recordedEdges(t.header)).toEqual(many.slice(0, edgesRecordedMax));
    expect(t.header.meta['targetEdgesTotal']).toBe(edgesRecordedMax + 5);
    const back = parseJsonl(formatJsonl(t), 'x.jsonl');
    if (!back.ok) throw new Error(back.error.message);
    expect(recordedEdges(back.value.header)).toHaveLength(edgesRecordedMax);
  });

  it("ignores a targetEdges that is not a list of edge ids (a capture tool's own field)", () => {
    const h = (v: unknown): Trace['header'] =>
      ({ ...first.trace.header, meta: { targetEdges: v } }) as Trace['header'];
    for (const bad of ['1,2', [1, -1], [1, 2 ** 32], [1.5], [1, '2'], { 0: 1 }, null])
      expect(recordedEdges(h(bad))).toEqual([]);
    expect(recordedEdges(first.trace.header)).toEqual([]);
  });

  it('maps edges to keys no model key can be', () => {
    expect(edgeKey(0)).toBe(-1);
    expect(edgeKey(0xffffffff)).toBe(-(2 ** 32));
    const base = buildBase(bundled, 64);
    expect([...base.keys].every((k) => k >= 0)).toBe(true);
  });
});

describe('the base reads recorded edges', () => {
  const plain: NamedTrace = { name: 'zz-plain.jsonl', trace: first.trace };
  const recorded: NamedTrace = { name: 'zz-rec.jsonl', trace: withEdges(first.trace, [5, 6, 7]) };

  it('covers them before case 0, beside the same model keys', () => {
    const without = buildBase([...bundled, plain], 64);
    const withRec = buildBase([...bundled, recorded], 64);
    expect(without.edges.size).toBe(0);
    expect([...withRec.edges].sort()).toEqual([5, 6, 7]);
    expect(withRec.keys).toEqual(without.keys);
    // A different base: its weights differ, and so does its id.
    expect(withRec.shared.id).not.toBe(without.shared.id);
  });

  it('gives an entry energy for edges it alone records, in their own namespace', () => {
    const both = buildBase([...bundled, plain, recorded], 64);
    const w = (name: string): number => both.entries.find((e) => e.name === name)?.weight ?? 0;
    // The same calls: the same model keys, split between them; the three edges are the
    // recorded one's alone (16 weight units a share).
    expect(w('zz-rec.jsonl') - w('zz-plain.jsonl')).toBe(3 * 16);
    // The others' weights are those of a base where the two are one entry's copies.
    const rest = (b: typeof both): number[] =>
      b.entries.filter((e) => !e.name.startsWith('zz-')).map((e) => e.weight);
    expect(rest(both)).toEqual(
      rest(buildBase([...bundled, plain, { ...plain, name: 'zz-p2' }], 64)),
    );
  });
});

describe('prune counts recorded edges', () => {
  it('keeps an entry that adds only edges, and drops the copies that record none', () => {
    const plain: NamedTrace = { name: 'zz-plain.jsonl', trace: first.trace };
    const rec: NamedTrace = { name: 'zz-rec.jsonl', trace: withEdges(first.trace, [5]) };
    const three = [first.name, 'zz-plain.jsonl', 'zz-rec.jsonl'];
    const without = pruneCorpus([...bundled, plain]);
    expect(three.filter((n) => without.keep.includes(n))).toHaveLength(1);
    const r = pruneCorpus([...bundled, plain, rec]);
    expect(three.filter((n) => r.keep.includes(n))).toEqual(['zz-rec.jsonl']);
    expect(r.keys).toBe(without.keys + 1);
  });
});
