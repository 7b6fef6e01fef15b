// Every bundled mutant (replay/mutants.ts), minimized against the real replayer through the
// InlineExecutor, from the kitchen-sink trace and from a longer trace padded with unrelated
// calls: the repro still fails the same way and is at most the mutant's minimalCalls long
// (five documented exceptions, KITCHEN_MINIMUM, where the kitchen sink's call order or
// values make the minimum larger; traces laid out for two of them reach minimalCalls).
// Cases: scripts/bench/minimizeCases.ts, shared with the benchmark.
import { describe, expect, it } from 'vitest';
import {
  kitchen,
  KITCHEN_MINIMUM,
  laidOut,
  minimizeMutant,
  padded,
} from '../../scripts/bench/minimizeCases.js';
import { MUTANTS, type Mutant } from '../replay/mutants.js';
import { oracleAnswers } from '../replay/reproText.js';
import { parseText, printText } from '../trace/text.js';
import { printTextAnnotated } from '../trace/textAnnotate.js';
import type { Trace } from '../trace/trace.js';

const reached: Record<string, Record<string, string>> = {
  'laid out': {},
  kitchen: {},
  padded: {},
};

async function check(m: Mutant, trace: Trace, bound: number): Promise<string> {
  const r = await minimizeMutant(m, trace);
  expect(r.failure?.kind).toBe(m.kind);
  expect(r.result?.exhausted).toBe(false);
  expect(r.stillFails).toBe(true);
  const calls = r.result?.trace.calls.length ?? Infinity;
  expect(calls).toBeLessThanOrEqual(bound);
  // The repro as a .txt file explains itself in comments only: it reads back as the same trace.
  const repro = r.result?.trace;
  if (repro !== undefined) {
    const text = printTextAnnotated(repro, oracleAnswers(repro));
    expect(text).toContain('# oracle at call ');
    const [back, bare] = [parseText(text), parseText(printText(repro))];
    expect(back.ok && back.value).toStrictEqual(bare.ok && bare.value);
  }
  // Bytes the repro carries (@write's data): a blob shrinks to the byte that matters.
  const bytes = (repro?.calls ?? []).reduce((n, c) => {
    const data = c.args.data;
    return n + (data instanceof Uint8Array ? data.length : 0);
  }, 0);
  const carried = bytes === 0 ? '' : `, data ${bytes} B`;
  return `${r.start} -> ${calls} (minimalCalls ${m.minimalCalls})${carried}`;
}

describe('where the kitchen sink cannot reach minimalCalls, a trace laid out for it does', () => {
  it.each(['drops-map-registers', 'devicedma-drops-last-byte'] as const)('%s', async (name) => {
    const m = MUTANTS.find((x) => x.name === name) as Mutant;
    (reached['laid out'] ?? {})[name] = await check(m, laidOut(name), m.minimalCalls);
  });
});

describe.each([
  ['kitchen', kitchen],
  ['padded', padded],
] as const)('every mutant, minimized from the %s trace', (name, make) => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const bound = KITCHEN_MINIMUM[m.name] ?? m.minimalCalls;
    (reached[name] ?? {})[m.name] = await check(m, make(), bound);
  });
});

it('reaches these lengths (start -> repro)', () => {
  expect(reached).toMatchInlineSnapshot(`
    {
      "kitchen": {
        "associate-writes-vrp": "32 -> 1 (minimalCalls 1)",
        "bytes-used-remembered": "32 -> 2 (minimalCalls 2)",
        "completedma-from-device-fails": "32 -> 6 (minimalCalls 5)",
        "crash-on-double-free-pool": "32 -> 2 (minimalCalls 2)",
        "devicedma-drops-last-byte": "32 -> 8 (minimalCalls 7), data 1 B",
        "dodma-signals-event": "32 -> 2 (minimalCalls 2)",
        "drops-map-registers": "32 -> 8 (minimalCalls 5)",
        "hang-on-signaled-wait": "32 -> 2 (minimalCalls 2)",
        "mapdma-corrupts-common-buffer": "32 -> 6 (minimalCalls 5)",
        "mapdma-user-mode-nonnull": "32 -> 1 (minimalCalls 1)",
        "mapdma-writes-length": "32 -> 1 (minimalCalls 1)",
        "startdma-ignores-offset": "32 -> 4 (minimalCalls 3)",
        "unmapdma-tears-down-view": "32 -> 2 (minimalCalls 2)",
      },
      "laid out": {
        "devicedma-drops-last-byte": "8 -> 7 (minimalCalls 7), data 1 B",
        "drops-map-registers": "7 -> 5 (minimalCalls 5)",
      },
      "padded": {
        "associate-writes-vrp": "104 -> 1 (minimalCalls 1)",
        "bytes-used-remembered": "104 -> 2 (minimalCalls 2)",
        "completedma-from-device-fails": "104 -> 6 (minimalCalls 5)",
        "crash-on-double-free-pool": "104 -> 2 (minimalCalls 2)",
        "devicedma-drops-last-byte": "104 -> 8 (minimalCalls 7), data 1 B",
        "dodma-signals-event": "104 -> 2 (minimalCalls 2)",
        "drops-map-registers": "104 -> 8 (minimalCalls 5)",
        "hang-on-signaled-wait": "104 -> 2 (minimalCalls 2)",
        "mapdma-corrupts-common-buffer": "104 -> 6 (minimalCalls 5)",
        "mapdma-user-mode-nonnull": "104 -> 1 (minimalCalls 1)",
        "mapdma-writes-length": "104 -> 1 (minimalCalls 1)",
        "startdma-ignores-offset": "104 -> 4 (minimalCalls 3)",
        "unmapdma-tears-down-view": "104 -> 2 (minimalCalls 2)",
      },
    }
  `);
});
