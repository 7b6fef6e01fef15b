// Campaigns in generations, as nights of `vpdma nightly` with one --corpus: generation g runs
// `cases` cases with seed + g on the bundled corpus plus every case the earlier generations
// kept, until a case shows the violation looked for. Kept cases are mutated only by later
// generations (docs/fuzzing.md, "Determinism, and what it costs"), so this is where a target's
// own coverage can change what is found: it changes what is kept. Shared by
// scripts/bench/targetCoverage.ts and examples/c-target/coverageCanary.test.ts.
import { buildBase, type NamedTrace } from '../../src/fuzz/base.js';
import { generateCase } from '../../src/fuzz/caseGen.js';
import { withEdges } from '../../src/fuzz/edgeMeta.js';
import { createFuzzPool } from '../../src/fuzz/executor.js';
import type { CaseResult } from '../../src/fuzz/protocol.js';
import { caseContext } from '../../src/fuzz/run.js';
import { bundledCorpusDir, contentName, readCorpusDir } from '../../src/store/corpus.js';
import { encodeVpt } from '../../src/trace/vpt.js';
import { campaignOn, fuzzSettings } from './fuzzSetup.js';

export interface GenerationsOptions {
  readonly target: string;
  readonly seed: number;
  /** Cases per generation. */
  readonly cases: number;
  readonly generationsMax: number;
  /** Ask the target for its coverage (false: --no-target-coverage). */
  readonly targetCoverage: boolean;
  readonly workers: number;
  /** The case that counts as the find. */
  readonly found: (r: CaseResult) => boolean;
  readonly callsMax?: number;
}

export interface GenerationsResult {
  /** The generation (0-based) and case index of the find, if any. */
  readonly found?: { readonly generation: number; readonly caseIndex: number };
  /** Cases run up to and including the find (all of them without one). */
  readonly cases: number;
  readonly calls: number;
  /** Fuzzing time, ms (building each generation's base included). */
  readonly ms: number;
  /** Corpus entries kept, over all generations. */
  readonly kept: number;
  /** Target edges per generation, its base's recorded ones included (undefined: not asked). */
  readonly edges: readonly (number | undefined)[];
}

export async function generations(o: GenerationsOptions): Promise<GenerationsResult> {
  const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  const callsMax = o.callsMax ?? 64;
  const kept: NamedTrace[] = [];
  const edges: (number | undefined)[] = [];
  let cases = 0;
  let calls = 0;
  const started = performance.now();
  for (let g = 0; g < o.generationsMax; g++) {
    const base = buildBase([...bundled, ...kept], callsMax);
    const settings = {
      ...fuzzSettings(o.seed + g, { target: o.target, callsMax }),
      ...(o.targetCoverage ? {} : { targetCoverage: false }),
    };
    const ctx = caseContext(settings, base.entries);
    const mine: NamedTrace[] = [];
    const r = await campaignOn(createFuzzPool(o.workers, o.target), base, settings, {
      runs: o.cases,
      failuresMax: 1,
      counts: o.found,
      onKept: (c) => {
        const made = generateCase(ctx, c.index, c.calls);
        // As vpdma fuzz keeps it: its target edges recorded (src/fuzz/edgeMeta.ts).
        const trace = c.edges === undefined ? made : withEdges(made, c.edges);
        mine.push({ name: contentName(encodeVpt(trace)), trace });
      },
    });
    // Names sort as a corpus directory's do; entries of the same bytes are one file.
    const names = new Set(kept.map((k) => k.name));
    kept.push(...mine.filter((k) => !names.has(k.name)));
    kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    edges.push(
      r.edgesFirstSeen === undefined ? undefined : (r.baseEdges ?? 0) + r.edgesFirstSeen.size,
    );
    const hit = r.failing.find(o.found);
    calls += r.calls;
    if (hit !== undefined) {
      cases += hit.index + 1;
      const ms = performance.now() - started;
      return {
        found: { generation: g, caseIndex: hit.index },
        cases,
        calls,
        ms,
        kept: kept.length,
        edges,
      };
    }
    cases += r.cases;
  }
  return { cases, calls, ms: performance.now() - started, kept: kept.length, edges };
}
