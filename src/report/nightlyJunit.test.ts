import { describe, expect, it } from 'vitest';
import { shellWord } from '../core/shellWord.js';
import { corpusReplayCommand, shortSignature } from './command.js';
import {
  HOSTILE,
  hostileNightlyFixture,
  nightlyFixture,
  RECOVERED,
  RECOVERED_TEXT,
  withoutBuildRevision,
} from '../../test/support/reportFixtures.js';
import { caseForTrace, junitXml, xmlAttr, xmlEscape, xmlText } from './junit.js';
import {
  caseForCorpusTrace,
  caseForFinding,
  findingBody,
  findingCaseName,
  nightlyJunitXml,
} from './nightlyJunit.js';
import type { ReportViolation, TraceEntry } from './replayReport.js';

const testcases = (xml: string): string[] =>
  [...xml.matchAll(/<testcase [^>]*>/g)].map((m) => m[0]);

describe('JUnit helpers', () => {
  it('escapes markup, drops characters XML cannot hold, keeps attributes on one line', () => {
    expect(xmlText(`a<b>&"'`)).toBe(`a&lt;b&gt;&amp;"'`);
    expect(xmlEscape(`"'`)).toBe('&quot;&apos;');
    expect(xmlEscape('a\u0000b\u001fc\uFFFEd')).toBe('abcd');
    expect(xmlEscape('x\uD800y')).toBe('x\uFFFDy');
    expect(xmlEscape('\uD83D\uDE00')).toBe('\uD83D\uDE00'); // a pair stays
    expect(xmlAttr('one\ntwo\tthree')).toBe('one&#10;two&#9;three');
    expect(xmlText(']]>')).toBe(']]&gt;');
  });

  // No time attribute anywhere: replay's --junit is the same bytes for any --workers.
  it('keeps vpdma replay output: one suite, a failure per violation, an error per crash', () => {
    const entries: TraceEntry[] = [
      { trace: 'a/b.jsonl', outcome: 'fail', calls: 3, violations: 1 },
      { trace: 'c.jsonl', outcome: 'crash', calls: 1, violations: 1 },
    ];
    const vs: ReportViolation[] = [
      { kind: 'return-mismatch', fn: 'F', callIndex: 2, message: 'bad', trace: 'a/b.jsonl' },
      { kind: 'target-crashed', fn: 'G', callIndex: 0, message: 'boom', trace: 'c.jsonl' },
    ];
    expect(
      junitXml(
        'vpdma replay',
        entries.map((e) => caseForTrace(e, vs)),
      ),
    ).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="vpdma" tests="2" failures="1" errors="1">',
        '  <testsuite name="vpdma replay" tests="2" failures="1" errors="1">',
        '    <testcase classname="a" name="b.jsonl">',
        '      <failure message="return-mismatch at call 2 (F)" type="return-mismatch">bad</failure>',
        '    </testcase>',
        '    <testcase classname="traces" name="c.jsonl">',
        '      <error message="target-crashed at call 0 (G): boom" type="target-crashed"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('names a case’s class by its directory, without dots a path walks through', () => {
    const classOf = (trace: string): string =>
      caseForTrace({ trace, outcome: 'pass', calls: 1, violations: 0 }, []).classname;
    expect(classOf('../captures/x.jsonl')).toBe('captures');
    expect(classOf('./x.jsonl')).toBe('traces');
    // Absolute: the last directory, or from findings/ on, whatever the install location.
    expect(classOf('/abs/night/x.jsonl')).toBe('night');
    expect(classOf('/work/main/corpus/x.jsonl')).toBe('corpus');
    expect(classOf('/opt/node_modules/vpdma/corpus/x.jsonl')).toBe('corpus');
    expect(classOf('/ci/out/findings/k/VideoPortF/b8a02000/repro.jsonl')).toBe(
      'findings.k.VideoPortF.b8a02000',
    );
    // A repro relative to where the run started: from findings/ on too, whatever --out is called.
    expect(classOf('out/findings/k/f/h/repro.jsonl')).toBe('findings.k.f.h');
    expect(classOf('x.jsonl')).toBe('traces');
  });
});

describe('a finding in JUnit', () => {
  it('counts its repro\'s calls in words: "1 call", "2 calls"', () => {
    const bodies = nightlyFixture().findings.map(findingBody).join('\n');
    expect(bodies).toContain('(1 call, minimized from 31;');
    expect(bodies).toContain('(2 calls, minimized from');
  });
});

describe('shell commands and short signatures', () => {
  it('quotes only what needs quoting', () => {
    expect(shellWord('corpus/a-b_c.jsonl')).toBe('corpus/a-b_c.jsonl');
    expect(shellWord('process:./t --x')).toBe(`'process:./t --x'`);
    expect(shellWord(`it's`)).toBe(`'it'\\''s'`);
    expect(corpusReplayCommand({ target: 'model', profile: 'reactos' }, 'c/x y.jsonl')).toBe(
      `vpdma replay 'c/x y.jsonl' --target model --profile reactos`,
    );
    expect(corpusReplayCommand({ target: 'model', profile: 'per trace header' }, 'a')).toBe(
      'vpdma replay a --target model',
    );
    expect(corpusReplayCommand({ target: 'model', profile: 'docs' }, 'a', 1000)).toBe(
      'vpdma replay a --target model --profile docs --timeout 1000',
    );
  });

  it('shortens a signature to the first 12 characters of its last part', () => {
    expect(shortSignature('sha256:3f9a6c0e51d2b7a48e0c')).toBe('3f9a6c0e51d2');
    expect(shortSignature('memory-corrupted/MapDmaMemory/3f9a6c0e')).toBe('3f9a6c0e');
    expect(shortSignature('plain')).toBe('plain');
    expect(shortSignature('trailing:')).toBe('trailing:');
  });
});

describe('nightly junit.xml', () => {
  const report = nightlyFixture();
  const xml = nightlyJunitXml(report);

  it('has a case per corpus trace, finding, fixed finding and bucket still open, with the right totals', () => {
    expect(testcases(xml)).toHaveLength(
      report.corpus.traces.length +
        report.findings.length +
        report.fixed.length +
        (report.stillOpen?.length ?? 0),
    );
    expect(xml).toContain(
      '<testsuites name="vpdma nightly" tests="9" failures="3" errors="1" skipped="1" time="66.240">',
    );
    expect(xml).toContain(
      '<testsuite name="vpdma nightly: corpus" tests="4" failures="1" errors="0" time="1.830">',
    );
    expect(xml).toContain(
      '<testsuite name="vpdma nightly: findings" tests="5" failures="2" errors="1" skipped="1" time="64.210">',
    );
    expect(xml).toContain('<property name="seed" value="20261128"/>');
    expect(xml).toContain('<property name="shard" value="2/4"/>');
    expect(xml).toContain('<property name="buildRevision" value="5eed0b1d2c3a"/>');
    // An older report, without one, has no such property.
    const older = withoutBuildRevision(report);
    expect(nightlyJunitXml(older)).not.toContain('buildRevision');
  });

  it('says what --history-recover did in a property of each suite, and only then', () => {
    expect(xml).not.toContain('historyRecovered');
    const recovered = nightlyJunitXml({ ...report, historyRecovered: RECOVERED });
    const property = `<property name="historyRecovered" value="${xmlAttr(RECOVERED_TEXT)}"/>`;
    expect(recovered.split(property)).toHaveLength(3); // corpus and findings
    expect(recovered.replace(/\n *<property name="historyRecovered" [^\n]*/g, '')).toBe(xml);
  });

  it("times the night and each suite in seconds from the report's timing, and nothing else", () => {
    // The whole run; the corpus replay; fuzzing plus minimizing (the findings suite's work).
    const times = [...xml.matchAll(/ time="([^"]*)"/g)].map((m) => m[1]);
    expect(times).toEqual(['66.240', '1.830', '64.210']);
    expect(xml).not.toMatch(/<testcase [^>]*time=/);
    // Another run of the same night differs there and only there (as in startedAt).
    const timing = { ...report.timing, replayMs: 2000, wallMs: 70_000 };
    const other = nightlyJunitXml({ ...report, timing });
    expect(other.replace(/ time="[^"]*"/g, '')).toBe(xml.replace(/ time="[^"]*"/g, ''));
    expect(other).toContain(' time="70.000">');
    expect(other).toContain(' time="2.000">');
  });

  it('names a finding by short signature, kind and function', () => {
    for (const f of report.findings) {
      expect(xml).toContain(`<testcase classname="findings" name="${findingCaseName(f)}">`);
      expect(findingCaseName(f)).toBe(`${f.signature.split('/')[2]} ${f.kind} ${f.fn}`);
    }
  });

  it('puts the repro text and the replay command in the failure body', () => {
    for (const f of report.findings) {
      for (const line of f.reproText.trimEnd().split('\n')) expect(xml).toContain(xmlText(line));
      expect(xml).toContain(`  ${xmlText(f.command)}\n`);
    }
    expect(xml).toMatch(
      /<error message="target-crashed at call 0 \(VideoPortUnmapDmaMemory\) \[new\]" type="target-crashed">target exited/,
    );
    // The failing corpus trace: each violation with its details and the command.
    expect(xml).toContain(
      'field: out.length\nexpected: 4096\nactual: 0\n\nReproduce: vpdma replay corpus/legacy-mapdma-flags.jsonl --target ',
    );
  });

  it('is deterministic and contains no raw markup from hostile strings', () => {
    expect(nightlyJunitXml(nightlyFixture())).toBe(xml);
    const evil = nightlyJunitXml(hostileNightlyFixture());
    expect(evil).not.toContain('<script>');
    expect(evil).not.toContain('<svg');
    expect(evil).toContain(xmlText(HOSTILE.message));
    // Outside tags, no '<' survives: every element starts with a known name.
    for (const m of evil.matchAll(/<([^?/!][^ >/]*)/g))
      expect([
        'testsuites',
        'testsuite',
        'properties',
        'property',
        'testcase',
        'failure',
        'error',
        'skipped',
        'system-out',
      ]).toContain(m[1]);
  });

  it("names the run's --disable'd functions as a property of each suite, as --disable takes them", () => {
    expect(xml).not.toContain('name="disabled"');
    const disabled = ['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory'];
    const with_ = nightlyJunitXml({ ...report, fuzzDetail: { disabled } });
    const prop =
      '<property name="disabled" value="VideoPortGetCommonBuffer,VideoPortMapBankedMemory"/>';
    expect(with_.split(prop)).toHaveLength(3);
    // One line more in each suite's properties, and nothing else.
    expect(with_.split('\n').filter((l) => !l.includes(prop))).toEqual(xml.split('\n'));
  });
});

describe('nightly junit.xml and --fail-on', () => {
  const report = nightlyFixture();
  const open = report.findings.find((f) => f.status === 'open');

  it('under --fail-on new, an open finding is known (<skipped>, details in <system-out>), not a failure', () => {
    if (open === undefined) throw new Error('the fixture has an open finding');
    const c = caseForFinding(open, 'new');
    expect(c.failures).toEqual([]);
    expect(c.skipped).toMatch(/^known: .* \[open\].*; --fail-on new does not fail on it$/);
    expect(c.systemOut).toBe(findingBody(open));
    const xml = nightlyJunitXml({ ...report, failOn: 'new' });
    expect(xml).toContain(
      '<testsuite name="vpdma nightly: findings" tests="5" failures="1" errors="1" skipped="2"',
    );
    expect(xml).toContain(`<system-out>${xmlText(findingBody(open))}</system-out>`);
    // New and regressed ones still fail it; under any, or a report without failOn, all do.
    for (const f of report.findings.filter((x) => x.status !== 'open'))
      expect(caseForFinding(f, 'new').skipped).toBeUndefined();
    expect(caseForFinding(open, 'any').failures).toHaveLength(1);
    expect(caseForFinding(open).failures).toHaveLength(1);
  });

  it("names what was fixed as a passing case, and what a replay saw regress as a failing one, under the finding's name", () => {
    const fixed = report.fixed[0];
    if (fixed === undefined) throw new Error('the fixture has a fixed finding');
    const xml = nightlyJunitXml({
      ...report,
      regressedByReplay: [
        {
          signature: 'memory-corrupted/MapDmaMemory/b8a02000',
          kind: 'memory-corrupted',
          fn: 'VideoPortMapDmaMemory',
          trace: 'regress/mapdma.txt',
          firstSeen: '2026-10-01',
          fixedSince: '2026-10-09',
        },
      ],
    });
    const name = xmlAttr(findingCaseName(fixed));
    expect(xml).toContain(
      `<testcase classname="findings" name="${name}">\n      <system-out>fixed: ${fixed.signature} (first seen ${fixed.firstSeen}, last seen ${fixed.lastSeen}, fixed since ${fixed.fixedSince})</system-out>\n    </testcase>`,
    );
    expect(xml).toContain(
      `name="b8a02000 memory-corrupted VideoPortMapDmaMemory">\n      <failure message="memory-corrupted (VideoPortMapDmaMemory) [regressed]: regress/mapdma.txt failed with it again (fixed since 2026-10-09)"`,
    );
  });
});

describe('a corpus trace failing at several calls', () => {
  it('names each call in the one body, and gives the command once, with the night’s --timeout', () => {
    const base = nightlyFixture();
    const trace = '/opt/vpdma/corpus/legacy-mapdma-request-packets.jsonl';
    const message = 'VideoPortGetBytesUsed returned 7; it must return 0';
    const violations: ReportViolation[] = [23, 31, 42].map((line, i) => ({
      kind: 'inert-return-mismatch',
      fn: 'VideoPortGetBytesUsed',
      callIndex: 21 + i * 8,
      line,
      message,
      field: 'ret',
      trace,
    }));
    const entry: TraceEntry = { trace, outcome: 'fail', calls: 60, violations: 3 };
    const r = {
      ...base,
      failOn: 'any' as const,
      corpus: { ...base.corpus, traces: [entry], violations },
      fuzzDetail: { timeoutMs: 1000 },
    };
    const xml = nightlyJunitXml(r);
    const body =
      /name="legacy-mapdma-request-packets\.jsonl">\n {6}<failure message="([^"]*)"[^>]*>([^<]*)</.exec(
        xml,
      );
    expect(body?.[1]).toBe(
      'inert-return-mismatch at line 23 (call 21) (VideoPortGetBytesUsed) (and 2 more)',
    );
    const text = body?.[2] ?? '';
    for (const [line, call] of [
      [23, 21],
      [31, 29],
      [42, 37],
    ])
      expect(text).toContain(
        `inert-return-mismatch at line ${line} (call ${call}) (VideoPortGetBytesUsed):\n${message}`,
      );
    expect(text.match(/Reproduce: /g)).toHaveLength(1);
    expect(text).toMatch(/Reproduce: vpdma replay \S+ --target \S+ .*--timeout 1000$/);
    // Known (open) under --fail-on new: the same places in <system-out>, none twice.
    const open = caseForCorpusTrace(
      { ...entry, status: 'open', signature: 'inert-return-mismatch/GetBytesUsed/b8a02000' },
      { ...r, failOn: 'new' },
    );
    expect(open.systemOut?.match(/at line 31 \(call 29\)/g)).toHaveLength(1);
  });
});

describe('one test case per (classname, name)', () => {
  it("keeps a finding's own case over a replay's regression and a fix of the same signature", () => {
    const report = nightlyFixture();
    const f = report.findings[0];
    if (f === undefined) throw new Error('the fixture has a finding');
    const same = { signature: f.signature, kind: f.kind, fn: f.fn, firstSeen: '2026-10-01' };
    const xml = nightlyJunitXml({
      ...report,
      regressedByReplay: [{ ...same, trace: 'regress/x.txt', fixedSince: '2026-10-09' }],
      fixed: [...report.fixed, { ...same, lastSeen: '2026-10-02', fixedSince: '2026-10-03' }],
    });
    const ids = testcases(xml);
    expect(new Set(ids).size).toBe(ids.length);
    const name = `name="${xmlAttr(findingCaseName(f))}"`;
    expect(ids.filter((c) => c.includes(name))).toHaveLength(1);
    // The one kept is the finding's: its failure message and status.
    expect(xml).toContain(
      `${name}>\n      <failure message="${xmlAttr(caseForFinding(f).failures[0]!.message)}"`,
    );
  });
});

describe('a failing corpus trace with --history verdict (TraceEntry.status)', () => {
  const base = nightlyFixture();
  const TRACE = 'corpus/legacy-mapdma-flags.jsonl';
  const SIG = 'map-dma-returned-non-null/MapDmaMemory/0b7e3a2c';
  const judged = (
    status: 'new' | 'open' | 'regressed',
    failOn: 'new' | 'any',
    more: Partial<TraceEntry> = {},
  ) => {
    const traces = base.corpus.traces.map((t) =>
      t.trace === TRACE ? { ...t, signature: SIG, status, ...more } : t,
    );
    const r = { ...base, failOn, corpus: { ...base.corpus, traces } };
    return caseForCorpusTrace(traces[1]!, r);
  };

  it('under --fail-on new, a known (open) one is skipped, "known: SIGNATURE", its failures in system-out', () => {
    const c = judged('open', 'new');
    expect(c.failures).toEqual([]);
    expect(c.error).toBeUndefined();
    expect(c.skipped).toBe(`known: ${SIG}; --fail-on new does not fail on it`);
    expect(c.systemOut).toContain(`status: open, signature: ${SIG}`);
    expect(c.systemOut).toContain('map-dma-wrote-out-param at call 11 (VideoPortMapDmaMemory)');
    expect(c.systemOut).toContain('field: out.length\nexpected: 4096\nactual: 0');
    // The whole file: one skipped case in the corpus suite, no failure.
    const traces = base.corpus.traces.map((t) =>
      t.trace === TRACE ? { ...t, signature: SIG, status: 'open' as const } : t,
    );
    const xml = nightlyJunitXml({ ...base, failOn: 'new', corpus: { ...base.corpus, traces } });
    expect(xml).toMatch(
      /<testsuite name="vpdma nightly: corpus" tests="4" failures="0" errors="0" skipped="1"/,
    );
  });

  it('a new or regressed one, or any under --fail-on any, is a failure naming its status', () => {
    for (const [status, failOn] of [
      ['new', 'new'],
      ['regressed', 'new'],
      ['open', 'any'],
    ] as const) {
      const c = judged(status, failOn);
      expect(c.skipped).toBeUndefined();
      expect(c.failures.map((f) => f.message)).toEqual([
        `map-dma-returned-non-null at call 11 (VideoPortMapDmaMemory) [${status}]`,
        'map-dma-wrote-out-param at call 11 (VideoPortMapDmaMemory)',
      ]);
    }
  });

  it('a damaged known one still fails (it fails any night), its status on the first failure', () => {
    const c = judged('open', 'new', { damage: 'cut short at byte 9' });
    expect(c.skipped).toBeUndefined();
    expect(c.error?.type).toBe('damaged');
    expect(c.failures[0]?.message).toMatch(/\[open\]$/);
  });
});
