// Test support: a realistic nightly report (a sharded run against a process target, four
// corpus traces with one failing, three findings new/open/regressed, one fixed bucket, one
// bucket still open that nothing showed and a fuzz time series), plus a hostile variant whose untrusted strings try to break out of HTML,
// XML and JSON. Renderer tests and the browser test build their pages from these.
import { reachedTable } from '../../src/fuzz/reached.js';
import { nightlyViolations } from '../../src/report/nightlyBuild.js';
import type {
  Finding,
  HistoryRecovered,
  NightlyReport,
  SamplePoint,
  StillOpen,
} from '../../src/report/nightlySchema.js';
import type { ReportViolation, TraceEntry } from '../../src/report/replayReport.js';
import { summarize } from '../../src/report/replayReport.js';

const TARGET = 'process:./build/videoprt-shim --trace-io';
const EXT = 'hwDeviceExtension=0xffffe00000001000';
const MAP_DMA_ARGS = `${EXT}, pVrp=0x0, boardAddress=0xe0000000, length=4096`;
const REPLAY = 'vpdma replay vpdma-out/findings';
const TARGET_ARG = `--target 'process:./build/videoprt-shim --trace-io' --profile docs --timeout 5000`;

const traces: readonly TraceEntry[] = [
  { trace: 'corpus/common-buffer-ring.jsonl', outcome: 'pass', calls: 41, violations: 0 },
  { trace: 'corpus/legacy-mapdma-flags.jsonl', outcome: 'fail', calls: 58, violations: 2 },
  { trace: 'corpus/packet-dma-to-device.jsonl', outcome: 'pass', calls: 33, violations: 0 },
  { trace: 'corpus/vga-io-ports.jsonl', outcome: 'pass', calls: 24, violations: 0 },
];

const corpusViolations: readonly ReportViolation[] = [
  {
    kind: 'map-dma-returned-non-null',
    fn: 'VideoPortMapDmaMemory',
    callIndex: 11,
    message: 'VideoPortMapDmaMemory returned 0xffffc00000002000, expected NULL',
    field: 'ret',
    expected: '0x0',
    actual: '0xffffc00000002000',
    trace: 'corpus/legacy-mapdma-flags.jsonl',
  },
  {
    kind: 'map-dma-wrote-out-param',
    fn: 'VideoPortMapDmaMemory',
    callIndex: 11,
    message: 'VideoPortMapDmaMemory wrote *Length (4096 -> 0)',
    field: 'out.length',
    expected: '4096',
    actual: '0',
    trace: 'corpus/legacy-mapdma-flags.jsonl',
  },
];

const findings: readonly Finding[] = [
  {
    signature: 'memory-corrupted/MapDmaMemory/3f9a6c0e',
    kind: 'memory-corrupted',
    fn: 'VideoPortMapDmaMemory',
    callIndex: 2,
    message: 'common buffer byte at 0xffffa00000004010 changed during VideoPortMapDmaMemory',
    reproCalls: 3,
    originalCalls: 57,
    trace: 'findings/memory-corrupted/MapDmaMemory/3f9a6c0e/repro.jsonl',
    reproText: [
      '#! vpdma-trace v1 profile=docs',
      `r0 = VideoPortGetDmaAdapter(${EXT}, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=65536}) -> 0xffffc00000000010`,
      `r1 = VideoPortAllocateCommonBuffer(${EXT}, vpDmaAdapter=r0, desiredLength=4096, cacheEnabled=true, reserved=0x0) -> 0xffffa00000004000 out(logicalAddress=0x1f000)`,
      `VideoPortMapDmaMemory(${MAP_DMA_ARGS}, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=r1+0x10) -> 0x0 out()`,
      '',
    ].join('\n'),
    seed: '20261128',
    caseIndex: 1841,
    reproduced: '3/3',
    command: `${REPLAY}/memory-corrupted/MapDmaMemory/3f9a6c0e/repro.jsonl ${TARGET_ARG}`,
    status: 'regressed',
    firstSeen: '2026-11-02',
    timesSeen: 9,
  },
  {
    signature: 'inert-return-mismatch/DoDma/a07be2c4',
    kind: 'inert-return-mismatch',
    fn: 'VideoPortDoDma',
    callIndex: 1,
    message: 'VideoPortDoDma returned 0x1, expected NULL',
    reproCalls: 2,
    originalCalls: 12,
    trace: 'findings/inert-return-mismatch/DoDma/a07be2c4/repro.jsonl',
    reproText: [
      '#! vpdma-trace v1 profile=docs',
      `r0 = VideoPortGetDmaAdapter(${EXT}, vpDeviceDescription={scatterGather=false, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=4096}) -> 0xffffc00000000010`,
      `VideoPortDoDma(${EXT}, pDma=0x0, dmaFlags=3) -> 0x1`,
      '',
    ].join('\n'),
    seed: '20261128',
    caseIndex: 77,
    reproduced: '3/3',
    command: `${REPLAY}/inert-return-mismatch/DoDma/a07be2c4/repro.jsonl ${TARGET_ARG}`,
    status: 'open',
    firstSeen: '2026-11-20',
    timesSeen: 4,
  },
  {
    signature: 'target-crashed/UnmapDmaMemory/c51e0d3a',
    kind: 'target-crashed',
    fn: 'VideoPortUnmapDmaMemory',
    callIndex: 0,
    message: 'target exited with signal SIGSEGV during VideoPortUnmapDmaMemory',
    reproCalls: 1,
    originalCalls: 31,
    trace: 'findings/target-crashed/UnmapDmaMemory/c51e0d3a/repro.jsonl',
    reproText: [
      '#! vpdma-trace v1 profile=docs',
      `VideoPortUnmapDmaMemory(${EXT}, virtualAddress=0x0, processHandle=0x0, boardMemoryHandle=0x0) -> false`,
      '',
    ].join('\n'),
    seed: '20261128',
    caseIndex: 2203,
    reproduced: '2/3',
    command: `${REPLAY}/target-crashed/UnmapDmaMemory/c51e0d3a/repro.jsonl ${TARGET_ARG}`,
    status: 'new',
    timesSeen: 1,
  },
];

/** A bucket whose repro passed, waiting for a bundled trace that fails first with another bug. */
export const STILL_OPEN: StillOpen = {
  signature: 'inert-wrote-out-param/GetBytesUsed/5b2c91d0',
  kind: 'inert-wrote-out-param',
  fn: 'VideoPortGetBytesUsed',
  firstSeen: '2026-11-10',
  lastSeen: '2026-11-21',
  waitingFor: [
    {
      trace: 'corpus:legacy-mapdma-request-packets.jsonl',
      now: 'inert-return-mismatch/DoDma/a07be2c4',
    },
  ],
  why: 'not seen tonight; its repro passed; still open while corpus:legacy-mapdma-request-packets.jsonl fails (now with inert-return-mismatch/DoDma/a07be2c4)',
};

/** 12 samples, every 5 s, of a campaign that warms up, then levels off. */
function series(): SamplePoint[] {
  const points: SamplePoint[] = [];
  let cases = 0;
  let calls = 0;
  for (let i = 0; i < 12; i++) {
    const casesPerSecond = i === 0 ? 0 : Math.min(420, 120 * i);
    const callsPerSecond = casesPerSecond * 23;
    cases += casesPerSecond * 5;
    calls += callsPerSecond * 5;
    points.push({
      t: i * 5,
      cases,
      calls,
      coverage: Math.round(900 * (1 - 0.8 ** i)),
      casesPerSecond,
      callsPerSecond,
    });
  }
  return points;
}

export function nightlyFixture(): NightlyReport {
  const points = series();
  const last = points[points.length - 1] as SamplePoint;
  return {
    schema: 'vpdma-report',
    schemaVersion: 1,
    command: 'nightly',
    seed: '20261128',
    vpdmaVersion: '0.1.0',
    modelRevision: 'c0ffee1234ab',
    buildRevision: '5eed0b1d2c3a',
    target: TARGET,
    profile: 'docs',
    shard: '2/4',
    startedAt: '2026-11-28T02:00:00.000Z',
    interrupted: false,
    corpus: { summary: summarize(traces, corpusViolations), traces, violations: corpusViolations },
    fuzz: {
      cases: last.cases,
      calls: last.calls,
      coverage: last.coverage,
      corpusSize: 17,
      newCorpusEntries: 2,
      reached: reachedTable([
        'VideoPortGetDmaAdapter|ok|adapter',
        'VideoPortMapDmaMemory|null|adapter',
        'VideoPortMapDmaMemory|null|adapter+mdl+transfer-pending',
        'VideoPortPutDmaAdapter|ok|idle',
        'VideoPortPutDmaAdapter|double-put!|idle',
      ]),
      unreached: ['VideoPortDoDma'],
      series: points,
    },
    findings,
    stillFailing: [],
    fixed: [
      {
        signature: 'transfer-state-changed/MapDmaMemory/77d0e4b1',
        kind: 'transfer-state-changed',
        fn: 'VideoPortMapDmaMemory',
        firstSeen: '2026-10-30',
        lastSeen: '2026-11-26',
        fixedSince: '2026-11-28',
      },
    ],
    stillOpen: [STILL_OPEN],
    violations: nightlyViolations(corpusViolations, findings),
    timing: {
      replayMs: 1830,
      fuzzMs: 60_000,
      minimizeMs: 4210,
      reportMs: 95,
      wallMs: 66_240,
      peakRssBytes: 412_000_000,
      workers: 2,
    },
  };
}

/** Strings that a careless renderer would let out of their element, attribute or string. */
export const HOSTILE = {
  message: `</pre><script>alert("pwned")</script><img src=x onerror=alert(1)> & 'quoted' "double"`,
  reproLine: `@write(va=0x1000, data=x"3c2f7072653e") # </pre><script>document.title='owned'</script>`,
  trace: `findings/"><svg onload=alert(1)>/repro.jsonl`,
  fn: 'VideoPortMapDmaMemory<b>',
} as const;

/** The fixture with one finding and one corpus trace carrying hostile strings. */
export function hostileNightlyFixture(): NightlyReport {
  const base = nightlyFixture();
  const first = base.findings[0] as Finding;
  const evil: Finding = {
    ...first,
    fn: HOSTILE.fn,
    message: HOSTILE.message,
    trace: HOSTILE.trace,
    reproText: `${first.reproText}${HOSTILE.reproLine}\n`,
    command: `vpdma replay '${HOSTILE.trace}' --target model`,
  };
  const trace: TraceEntry = {
    trace: `corpus/${HOSTILE.trace}`,
    outcome: 'invalid',
    calls: 0,
    violations: 0,
    error: HOSTILE.message,
  };
  const traces = [...base.corpus.traces, trace];
  // A report read back from disk (merge) may hold anything in its table.
  const reached = {
    [HOSTILE.fn]: { branches: [HOSTILE.message], misuse: [], states: [HOSTILE.trace] },
  };
  return {
    ...base,
    corpus: { ...base.corpus, traces, summary: summarize(traces, base.corpus.violations) },
    fuzz: { ...base.fuzz, reached, unreached: [HOSTILE.fn] },
    findings: [evil, ...base.findings.slice(1)],
    stillOpen: [{ ...STILL_OPEN, fn: HOSTILE.fn, why: HOSTILE.message }],
  };
}

/** `r` as a report written before buildRevision was recorded. */
export function withoutBuildRevision<T extends { readonly buildRevision?: string }>(r: T): T {
  const { buildRevision, ...older } = r;
  void buildRevision;
  return older as T;
}

/**
 * A --history-recover that started from FILE.prev and deleted an older damaged copy, its file
 * named with markup; and the line every format says it in.
 */
export const RECOVERED: HistoryRecovered = {
  file: 'ci/<h>&"history".json',
  reason: 'buckets[0].timesSeen: expected a positive integer',
  keptAs: 'ci/<h>&"history".json.damaged-20261128T020304Z',
  from: 'ci/<h>&"history".json.prev',
  prevWritten: '2026-11-27T02:00:00Z',
  olderDeleted: ['ci/<h>&"history".json.damaged-20261101T020304Z'],
};
export const RECOVERED_TEXT =
  '--history ci/<h>&"history".json was damaged (buckets[0].timesSeen: expected a positive integer): started from the previous version, ci/<h>&"history".json.prev (written 2026-11-27T02:00:00Z); the damaged file is kept as ci/<h>&"history".json.damaged-20261128T020304Z (1 older damaged copy deleted: ci/<h>&"history".json.damaged-20261101T020304Z)';

/** A stricter link a report read back from disk (merge) may hold: markup and a scheme. */
export const HOSTILE_STRICTER = `javascript:alert(1)/docs/spec-gaps.md#"><script>x</script>`;

/**
 * The fixture as a build citing rules writes it (replay/ruleSource.ts `cited`): its corpus
 * violations with their rule (the MapDmaMemory invariant), a GetCommonBuffer finding citing
 * its section and the spec-gaps.md entry it is stricter than, a crash citing nothing.
 */
export function citedNightlyFixture(
  cite: (v: ReportViolation) => ReportViolation,
  stricter?: string,
): NightlyReport {
  const base = nightlyFixture();
  const violations = base.corpus.violations.map(cite);
  const raw: ReportViolation = {
    kind: 'out-param-mismatch',
    fn: 'VideoPortGetCommonBuffer',
    callIndex: 1,
    message: 'VideoPortGetCommonBuffer out.pActualLength: expected 1 (docs oracle), got 4096',
    field: 'out.pActualLength',
    trace: 'findings/out-param-mismatch/GetCommonBuffer/b16daefe/repro.jsonl',
  };
  const pActual = cite(raw);
  const atCall = (v: ReportViolation) => ({
    kind: v.kind,
    ...(v.field === undefined ? {} : { field: v.field }),
    message: v.message,
    ...(v.rule === undefined ? {} : { rule: v.rule }),
    ...(v.stricter === undefined ? {} : { stricter: stricter ?? v.stricter }),
  });
  const [first, , crash] = base.findings as [Finding, Finding, Finding];
  const lead: Finding = {
    ...first,
    signature: 'out-param-mismatch/GetCommonBuffer/b16daefe',
    kind: pActual.kind,
    fn: pActual.fn,
    callIndex: pActual.callIndex,
    message: pActual.message,
    trace: pActual.trace,
    violationsAtCall: [
      atCall(pActual),
      atCall(
        cite({
          ...raw,
          kind: 'return-mismatch',
          field: 'ret',
          message:
            'VideoPortGetCommonBuffer ret: expected NULL (docs oracle), got a new commonBuffer',
        }),
      ),
    ],
  };
  const { kind, fn, callIndex, message, trace } = crash;
  const crashed = cite({ kind: kind as 'target-crashed', fn, callIndex, message, trace });
  const findings = [lead, { ...crash, violationsAtCall: [atCall(crashed)] }];
  return {
    ...base,
    corpus: { ...base.corpus, violations },
    findings,
    violations: nightlyViolations(violations, findings),
  };
}
