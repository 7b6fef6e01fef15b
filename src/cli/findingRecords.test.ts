// A finding is copied field by field three times: fuzz → report.json (reportFindingOf),
// report.json → the nightly report (nightlyFinding) and fuzz → the library's fuzzTarget
// (findingOf). The compiler only makes a copy carry the fields its result requires, so an
// optional field added to a finding could silently be left out. Here each source is built
// Required<>, so a new field, optional or not, must be added below to compile, and then must be
// copied, or named as left out on purpose, for the test to pass.
import { describe, expect, it } from 'vitest';
import type { FuzzFinding, ViolationAtCall } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { reportFindingOf } from '../fuzz/outputs.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { nightlyFinding } from '../report/nightlyBuild.js';
import { emptyHeader } from '../trace/trace.js';
import { findingOf } from './fuzzTarget.js';

const violationsAtCall: readonly ViolationAtCall[] = [
  { kind: 'memory-corrupted', field: 'VirtualAddress', message: 'm' },
  { kind: 'map-dma-returned-non-null', message: 'n' },
];

const fuzzFinding: Required<FuzzFinding> = {
  signature: 'memory-corrupted/VideoPortMapDmaMemory/abc',
  kind: 'memory-corrupted',
  fn: 'VideoPortMapDmaMemory',
  callIndex: 3,
  message: 'm',
  violationsAtCall,
  reproCalls: 4,
  originalCalls: 40,
  caseIndex: 17,
  cases: [17, 21],
  reproduced: '3/3',
  confirmed: true,
  minimized: false,
  exhausted: true,
  attempts: 99,
  minimizedReproduced: '1/3',
  notMinimized: 'known',
  repro: { header: emptyHeader(), calls: [] },
  original: { header: emptyHeader(), calls: [] },
};

const reportFinding: Required<ReportFinding> = {
  signature: 'memory-corrupted/VideoPortMapDmaMemory/abc',
  kind: 'memory-corrupted',
  fn: 'VideoPortMapDmaMemory',
  callIndex: 3,
  message: 'm',
  title: 't',
  violationsAtCall,
  reproCalls: 4,
  originalCalls: 40,
  trace: 'out/findings/x/repro.jsonl',
  files: { jsonl: 'a.jsonl', txt: 'a.txt', vpt: 'a.vpt' },
  reproText: 'text',
  seed: '58c7482',
  caseIndex: 17,
  cases: [17, 21],
  reproduced: '3/3',
  command: 'vpdma replay …',
  kept: true,
  minimized: false,
  minimizedReproduced: '1/3',
  exhausted: true,
  notMinimized: 'known',
};

/**
 * The source's fields the copy lacks, but for `leftOut`; and the shared ones it changed, but
 * for `changed`. Also, a field named left out must really be absent from the copy.
 */
function check<S extends object>(
  source: S,
  copy: object,
  leftOut: readonly (keyof S & string)[],
  changed: readonly (keyof S & string)[] = [],
): void {
  const got = copy as Record<string, unknown>;
  const keys = Object.keys(source) as (keyof S & string)[];
  expect(keys.filter((k) => !(k in got) && !leftOut.includes(k))).toEqual([]);
  expect(leftOut.filter((k) => k in got)).toEqual([]);
  const same = keys.filter((k) => k in got && !changed.includes(k));
  expect(Object.fromEntries(same.map((k) => [k, got[k]]))).toStrictEqual(
    Object.fromEntries(same.map((k) => [k, source[k]])),
  );
}

describe('finding records copied field by field', () => {
  it('check() refuses a copy without a field, and a field left out that was copied', () => {
    expect(() => check(fuzzFinding, fuzzFinding, [])).not.toThrow();
    const withoutMessage = Object.fromEntries(
      Object.entries(fuzzFinding).filter(([k]) => k !== 'message'),
    );
    expect(() => check(fuzzFinding, withoutMessage, [])).toThrow();
    expect(() => check(fuzzFinding, fuzzFinding, ['message'])).toThrow();
    expect(() => check(fuzzFinding, { ...fuzzFinding, message: 'other' }, [])).toThrow();
  });

  it('fuzz → report.json (reportFindingOf) carries every field but the repro and bookkeeping', () => {
    const settings: FuzzSettings = {
      target: 'model',
      timeoutMs: 1000,
      sampleBytes: 512,
      callsMax: 64,
      seed: 1,
      seedText: '1',
    };
    const files = { jsonl: 'f/repro.jsonl', txt: 'f/repro.txt', vpt: 'f/repro.vpt' };
    check(fuzzFinding, reportFindingOf(fuzzFinding, settings, files, 'text'), [
      'repro',
      'original',
      'confirmed',
      'attempts',
    ]);
  });

  it('report.json → nightly (nightlyFinding) carries every field of FindingBase', () => {
    const copy = nightlyFinding(reportFinding, (p) => `rel/${p}`);
    check(
      reportFinding,
      copy,
      ['files', 'cases', 'minimized', 'minimizedReproduced', 'exhausted'],
      ['trace'],
    );
    expect(copy.trace).toBe(`rel/${reportFinding.trace}`);
  });

  it('fuzz → fuzzTarget (findingOf) carries every field its result type names', () => {
    check(fuzzFinding, findingOf(fuzzFinding), [
      'callIndex',
      'reproCalls',
      'cases',
      'confirmed',
      'attempts',
      'minimizedReproduced',
      'original',
      // fuzzTarget takes no known signatures: never set there.
      'notMinimized',
    ]);
  });
});
