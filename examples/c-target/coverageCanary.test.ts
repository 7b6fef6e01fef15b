// VPDMA_C_FAULT=corrupt-on-mapdma-run, a planted bug for the target's own coverage to lead to:
// the 8th VideoPortMapDmaMemory in a row with one VirtualAddress and Length corrupts memory.
// The model tells none of those calls apart; vpdma-c-target-cov reports a new edge for every
// step of the run. Fuzzing in generations (nights with one --corpus; a run's kept cases are
// mutated by the next) with target coverage finds it within a CI-sized budget.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE } from '../../src/model/device.js';
import { createProcessTarget } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { emptyHeader } from '../../src/trace/trace.js';
import { generations } from '../../scripts/bench/coverageGenerations.js';
import { COV_BINARY, hello, mapDmaSession, msg, talk } from './testKit.js';

const FAULT = { VPDMA_C_FAULT: 'corrupt-on-mapdma-run' };
const session = mapDmaSession(0, 0); // four calls of set-up, then MapDmaMemory
const setUp = session.slice(0, 4);
const map = session[4] ?? session[0];

function ids(answer: unknown): number[] {
  const bin = (answer as { edges: Uint8Array }).edges;
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  return Array.from({ length: bin.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

const found = (r: { violations: readonly { kind: string; fn: string }[] }): boolean =>
  r.violations[0]?.kind === 'memory-corrupted' && r.violations[0]?.fn === 'VideoPortMapDmaMemory';

describe('corrupt-on-mapdma-run', () => {
  it('each step of the run is new code, up to the 8th, where the bug is; none without it', () => {
    const asCall = (c: typeof map) => msg({ op: 'call', fn: c?.fn, args: c?.args });
    const coverage = msg({ op: 'coverage' });
    const steps = Array.from({ length: 8 }, () => [asCall(map), coverage]).flat();
    const input = Buffer.concat([hello, ...setUp.map(asCall), coverage, ...steps]);
    /** Edge ids new at each of the 8 maps. */
    const freshByStep = (env: Record<string, string>): number[] => {
      const r = talk(input, env, COV_BINARY);
      const seen = new Set(ids(r.answers[5]));
      return Array.from({ length: 8 }, (_, k) => {
        const got = ids(r.answers[7 + 2 * k]);
        const n = got.filter((id) => !seen.has(id)).length;
        for (const id of got) seen.add(id);
        return n;
      });
    };
    // The first map is new code; then a new branch for each of steps 2 to 8.
    const fresh = freshByStep(FAULT);
    expect(fresh).toHaveLength(8);
    expect(fresh.every((n) => n > 0)).toBe(true);
    // Without the switch every map runs the code of the first.
    expect(freshByStep({}).slice(1)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('the 8th map in a row is memory-corrupted; 7, or 8 broken by another length, pass', async () => {
    const t = await createProcessTarget({
      command: `VPDMA_C_FAULT=corrupt-on-mapdma-run ${COV_BINARY}`,
      device: DEFAULT_DEVICE,
      profile: 'docs',
      timeoutMs: 5000,
    });
    try {
      const other = { ...map, args: { ...map?.args, length: 0x800 } };
      const run = (n: number, broken = false) => [
        ...setUp,
        ...Array.from({ length: n }, (_, i) => (broken && i === 3 ? other : map)),
      ];
      const replay = (calls: ReturnType<typeof run>) =>
        replayTrace(emptyHeader(), calls as never, t);
      expect((await replay(run(7))).violations).toEqual([]);
      expect((await replay(run(8, true))).violations).toEqual([]);
      const r = await replay(run(8));
      expect(r.violations[0]).toMatchObject({
        kind: 'memory-corrupted',
        fn: 'VideoPortMapDmaMemory',
        callIndex: 11,
      });
    } finally {
      t.child.kill();
    }
  });

  it('seed 11 in generations: found in the fourth with target coverage, in the second without (one seed: a pinned outcome, not a measure)', async () => {
    // Seed 11, 150 cases a generation: with target coverage each generation's corpus holds
    // the cases the ones before kept for C edges alone, with the edges they record (counted in
    // its energies); without, its corpus (and so every mutated case) differs; case 83 of the
    // fourth finds the bug with, case 29 of the second without. Re-read on 8 December (session
    // 35) when a coherent @deviceDma over a buffer starting with zeros got a @write first
    // (fuzz/fill.ts), which changes the cases that have one and so what each generation
    // keeps: with target coverage nothing moved; without, it was case 83 of the fourth, as
    // with. Re-read on 8 December (session 34) with three changes
    // together: user views moved past x64 user space (model 0x800000000000, C target
    // 0xa00000000000, new C branches for that window: 590 C edges in the first generation
    // instead of 585), fresh cases got the swarm's devices (small RAM, few map registers) and a
    // page's last byte as an address, and allocators' lengths got `room` (all the RAM left)
    // with produced common buffers of an odd length: it was case 2 of the third with, 47 of the
    // fifth without. Each change alone moved it too (case 65 of the second with; case 48 of
    // the second without). Re-read on 7 December (session
    // 33) when the C target's MapMemory *Length (kept a ULONG near 4 GiB) and 32-bit adapters'
    // scatter/gather (kept below 4 GiB) changed its edges: without target coverage nothing
    // moved (no model outcome changed); it was case 47 of the fifth both ways. Re-read
    // on 7 December (session 32) after the 23-trace corpus (two ReactOS divergence scenarios),
    // hostile handles kept in coherent calls, and the watch/moments/tail change together; the
    // moments branch alone read case 83 of the fourth both ways, when the watch took an obsolete sibling beside MapDmaMemory, moments gave
    // the siblings half the obsolete insertions and some swarm slots ran past a misuse to the
    // case's end: it was case 78 of the second with, 46 of the second without. Re-read on 7 December, when
    // the C target's new grow-after fault (--rss-limit-mb's test) moved its edges: it was case
    // 27 of the second with (the same without); earlier that day, when the ReactOS StartDma note (queued starts) changed the call table's revision, which every
    // kept case's .vpt header records and so its content name and the corpus's order: it was
    // the fifth generation's case 47 with, the fourth's case 106 without; earlier on 7 December,
    // when the ReactOS profile's MapMemory (zero length) and UnmapMemory (current process) rules
    // added model outcomes: the third generation's case 82, and none of three without;
    // on 6 December, when UnmapMemory's ProcessHandle rule changed the C code's edges, the
    // second's case 134, and none of two. One seed cannot tell guidance from luck, as the
    // turn-about shows; other seeds find it in the first generation either way, or in neither:
    // BENCHMARKS.md, "Target coverage", has the figures (no measurable gain over five seeds).
    // What this pins is the whole chain working end to end (edges asked, kept, recorded,
    // weighed, the bug found and judged); a change to generation, keeping or the model's
    // outcomes moves the case found, and then this test's numbers are re-read, not re-picked.
    const o = {
      target: `process:VPDMA_C_FAULT=corrupt-on-mapdma-run ${COV_BINARY}`,
      seed: 11,
      cases: 150,
      generationsMax: 5,
      workers: 2,
      found,
    };
    const on = await generations({ ...o, targetCoverage: true });
    expect(on.found).toEqual({ generation: 3, caseIndex: 83 });
    expect(on.cases).toBe(3 * 150 + 84);
    expect(on.edges).toHaveLength(4);
    expect(on.edges.every((e) => (e ?? 0) > 500)).toBe(true);
    const off = await generations({ ...o, targetCoverage: false });
    expect(off.found).toEqual({ generation: 1, caseIndex: 29 });
    expect(off.cases).toBe(150 + 30);
    expect(off.edges).toEqual([undefined, undefined]);
    // Five generations each way now (648 cases; 534 on the moments branch, 197 before): about 45 s alone on 2 cores with
    // two, so about two minutes; more under a full run's load (timed out at 180 s under 25).
  }, 400_000);
});
