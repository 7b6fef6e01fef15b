import { describe, expect, it } from 'vitest';
import { cited as citedViolation } from '../replay/ruleSource.js';
import { VIOLATION_KINDS } from '../replay/violation.js';
import {
  citedNightlyFixture,
  HOSTILE,
  hostileNightlyFixture,
  nightlyFixture,
  RECOVERED,
  RECOVERED_TEXT,
  STILL_OPEN,
  withoutBuildRevision,
} from '../../test/support/reportFixtures.js';
import type { NightlyReport } from './nightlySchema.js';
import {
  CORPUS_FINGERPRINT,
  FINDING_FINGERPRINT,
  nightlySarif,
  nightlySarifJson,
  sarifLocation,
  type SarifResult,
} from './sarif.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every property reachable from `v` whose value is undefined (JSON would drop it silently). */
function undefinedPaths(v: unknown, at = '$'): string[] {
  if (v === undefined) return [at];
  if (Array.isArray(v)) return v.flatMap((x, i) => undefinedPaths(x, `${at}[${i}]`));
  if (typeof v === 'object' && v !== null)
    return Object.entries(v).flatMap(([k, x]) => undefinedPaths(x, `${at}.${k}`));
  return [];
}

/** The SARIF 2.1.0 requirements for the objects vpdma writes (sarif-schema-2.1.0 "required"). */
function checkShape(log: Json): void {
  const l = log as { [k: string]: Json };
  expect(l['$schema']).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  expect(l['version']).toBe('2.1.0');
  const runs = l['runs'] as { [k: string]: Json }[];
  expect(runs).toHaveLength(1);
  const run = runs[0] as { [k: string]: Json };
  const driver = (run['tool'] as { driver: { [k: string]: Json } }).driver;
  expect(driver['name']).toBe('vpdma');
  expect(typeof driver['version']).toBe('string');
  const rules = driver['rules'] as { [k: string]: Json }[];
  for (const r of rules) {
    expect(typeof r['id']).toBe('string');
    expect((r['shortDescription'] as { text: string }).text.length).toBeGreaterThan(0);
    expect((r['help'] as { text: string }).text.length).toBeGreaterThan(0);
  }
  for (const inv of run['invocations'] as { [k: string]: Json }[])
    expect(typeof inv['executionSuccessful']).toBe('boolean');
  const bases = Object.keys(run['originalUriBaseIds'] as object);
  for (const res of run['results'] as unknown as SarifResult[]) {
    expect(res.message.text.length).toBeGreaterThan(0);
    expect(rules[res.ruleIndex]?.['id']).toBe(res.ruleId);
    expect(res.level).toBe('error');
    expect(res.locations).toHaveLength(1);
    const loc = res.locations[0]?.physicalLocation;
    const uri = loc?.artifactLocation.uri ?? '';
    expect(uri).toMatch(/^[A-Za-z0-9._~%!$&'()*+,;=:@/-]+$/); // a valid URI reference
    if (loc?.artifactLocation.uriBaseId !== undefined)
      expect(bases).toContain(loc.artifactLocation.uriBaseId);
    if (loc?.region !== undefined) expect(loc.region.startLine).toBeGreaterThanOrEqual(2);
    expect(Object.keys(res.partialFingerprints)).toHaveLength(1);
  }
}

describe('results.sarif', () => {
  const report = nightlyFixture();
  const log = nightlySarif(report);
  const results = log.runs[0].results;

  it('has the SARIF 2.1.0 shape, no undefined anywhere, and survives JSON', () => {
    checkShape(JSON.parse(nightlySarifJson(report)) as Json);
    expect(undefinedPaths(log)).toEqual([]);
    expect(JSON.parse(nightlySarifJson(report))).toEqual(log);
  });

  it('keeps that shape with rules cited (replay/ruleSource.ts): rule and stricter are additions', () => {
    const cited = citedNightlyFixture((v) => citedViolation(v, 'docs'));
    const l = nightlySarif(cited);
    checkShape(JSON.parse(nightlySarifJson(cited)) as Json);
    expect(undefinedPaths(l)).toEqual([]);
    expect(l.runs[0].results.filter((r) => 'rule' in r.properties)).toHaveLength(3);
  });

  it('has one rule per violation kind, in table order, each described', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(VIOLATION_KINDS);
    expect(new Set(rules.map((r) => r.name)).size).toBe(rules.length);
  });

  it('adds a rule for a kind it does not know instead of a dangling ruleId', () => {
    const f = report.findings[0];
    const odd: NightlyReport = { ...report, findings: [{ ...f!, kind: 'zz-new-kind' }] };
    const l = nightlySarif(odd);
    expect(l.runs[0].tool.driver.rules.at(-1)?.id).toBe('zz-new-kind');
    checkShape(JSON.parse(JSON.stringify(l)) as Json);
  });

  it('locates each finding at its failing call in the repro JSONL, fingerprinted', () => {
    const found = results.filter((r) => FINDING_FINGERPRINT in r.partialFingerprints);
    expect(found).toHaveLength(report.findings.length);
    for (const f of report.findings) {
      const r = found.find((x) => x.partialFingerprints[FINDING_FINGERPRINT] === f.signature);
      expect(r?.ruleId).toBe(f.kind);
      expect(r?.locations[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: f.trace, uriBaseId: 'REPORTDIR' },
        region: { startLine: f.callIndex + 2 },
      });
      expect(r?.message.text).toContain(f.message);
      expect(r?.message.text).toContain(f.command);
    }
  });

  it('reports corpus violations at the corpus trace, relative to where the run started', () => {
    const corpus = results.filter((r) => CORPUS_FINGERPRINT in r.partialFingerprints);
    expect(corpus).toHaveLength(report.corpus.violations.length);
    expect(corpus[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'corpus/legacy-mapdma-flags.jsonl', uriBaseId: 'SRCROOT' },
      region: { startLine: 13 },
    });
  });

  it("carries a failing trace's --history verdict on the result of its first violation", () => {
    const traces = report.corpus.traces.map((t) =>
      t.violations > 0 ? { ...t, signature: 'k/F/00000001', status: 'open' as const } : t,
    );
    const judged = nightlySarif({ ...report, corpus: { ...report.corpus, traces } }).runs[0];
    const corpus = judged.results.filter((r) => CORPUS_FINGERPRINT in r.partialFingerprints);
    // Sorted by trace, call, then kind: the first violation (map-dma-returned-non-null) first.
    expect(corpus.map((r) => [r.ruleId, r.baselineState, r.properties['status']])).toEqual([
      ['map-dma-returned-non-null', 'unchanged', 'open'],
      ['map-dma-wrote-out-param', undefined, undefined],
    ]);
    expect(corpus[0]?.properties['signature']).toBe('k/F/00000001');
    expect(corpus[0]?.message.text).toMatch(
      / of corpus trace corpus\/legacy-mapdma-flags\.jsonl; open\)$/,
    );
    // Without one (an older report, or `vpdma replay`'s), nothing is said.
    for (const r of results.filter((x) => CORPUS_FINGERPRINT in x.partialFingerprints)) {
      expect(r.baselineState).toBeUndefined();
      expect(r.properties).not.toHaveProperty('status');
    }
  });

  // The bundled corpus as two installs replay it (a CI runner's checkout elsewhere).
  const installedAt = (root: string): NightlyReport => {
    const trace = `${root}/corpus/legacy-mapdma-request-packets.jsonl`;
    const at = (callIndex: number, fn: string, message: string) => ({
      trace,
      kind: 'inert-return-mismatch' as const,
      fn,
      callIndex,
      line: callIndex + 2,
      message,
    });
    const violations = [
      at(16, 'VideoPortDoDma', 'VideoPortDoDma returned 0x1234; it must return NULL'),
      at(21, 'VideoPortGetBytesUsed', 'VideoPortGetBytesUsed returned 7; it must return 0'),
      at(24, 'VideoPortDoDma', 'VideoPortDoDma returned 0x1234; it must return NULL'),
      at(29, 'VideoPortGetBytesUsed', 'VideoPortGetBytesUsed returned 7; it must return 0'),
      at(31, 'VideoPortDoDma', 'VideoPortDoDma returned 0x1234; it must return NULL'),
    ];
    const t = { trace, outcome: 'fail' as const, calls: 40, violations: violations.length };
    const judged = {
      ...t,
      signature: 'inert-return-mismatch/DoDma/b8a02000',
      status: 'new' as const,
    };
    const f = report.findings[0]!;
    const finding = {
      ...f,
      signature: 'inert-return-mismatch/GetBytesUsed/b8a02000',
      status: 'open' as const,
    };
    return {
      ...report,
      findings: [finding],
      corpus: { ...report.corpus, traces: [judged], violations },
    };
  };
  const bundled = (t: string): string =>
    t.includes('/corpus/') ? `corpus:${t.slice(t.lastIndexOf('/') + 1)}` : t;
  const corpusOf = (l: ReturnType<typeof nightlySarif>): SarifResult[] =>
    l.runs[0].results.filter((x) => CORPUS_FINGERPRINT in x.partialFingerprints);

  it('names a bundled corpus trace under VPDMACORPUS, the same wherever vpdma is installed', () => {
    const here = nightlySarifJson(installedAt('/work/main'), bundled);
    const there = nightlySarifJson(installedAt('/builds/r7/0/vpdma'), bundled);
    expect(there).toBe(here);
    expect(here).not.toContain('/work/main');
    const [first] = corpusOf(JSON.parse(here) as ReturnType<typeof nightlySarif>);
    expect(first?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'legacy-mapdma-request-packets.jsonl', uriBaseId: 'VPDMACORPUS' },
      region: { startLine: 18 },
    });
    expect(first?.partialFingerprints[CORPUS_FINGERPRINT]).toBe(
      'corpus:legacy-mapdma-request-packets.jsonl|inert-return-mismatch/DoDma/b8a02000',
    );
    checkShape(JSON.parse(here) as Json);
  });

  it('gives one result per trace and signature, its other calls as relatedLocations', () => {
    const corpus = corpusOf(nightlySarif(installedAt('/work/main'), bundled));
    expect(corpus.map((x) => [x.properties['callIndex'], x.properties['violations']])).toEqual([
      [16, 3],
      [21, 2],
    ]);
    expect(corpus[0]?.relatedLocations?.map((x) => [x.id, x.physicalLocation.region])).toEqual([
      [0, { startLine: 26 }],
      [1, { startLine: 33 }],
    ]);
    expect(corpus[0]?.message.text).toContain('also at 2 more calls: line 26 (call 24), line 33');
    expect(corpus[1]?.relatedLocations?.[0]?.message?.text).toMatch(/^line 31 \(call 29\): /);
  });

  it("sets baselineState on each result a verdict covers: the trace's own, or a finding's", () => {
    const corpus = corpusOf(nightlySarif(installedAt('/work/main'), bundled));
    // The trace is judged [new] by its first violation (DoDma); GetBytesUsed is an open finding.
    expect(corpus.map((x) => [x.baselineState, x.properties['status']])).toEqual([
      ['new', 'new'],
      ['unchanged', 'open'],
    ]);
  });

  it('orders results stably whatever the order of the report', () => {
    const shuffled: NightlyReport = {
      ...report,
      findings: [...report.findings].reverse(),
      corpus: { ...report.corpus, violations: [...report.corpus.violations].reverse() },
    };
    expect(nightlySarifJson(shuffled)).toBe(nightlySarifJson(report));
    const sigs = results.map((r) => r.partialFingerprints[FINDING_FINGERPRINT]).filter(Boolean);
    expect(sigs).toEqual([...sigs].sort());
  });

  it('encodes paths as URI references and gives a line only for JSONL', () => {
    expect(sarifLocation('repros/a b#c.jsonl', 0, 'REPORTDIR').physicalLocation).toEqual({
      artifactLocation: { uri: 'repros/a%20b%23c.jsonl', uriBaseId: 'REPORTDIR' },
      region: { startLine: 2 },
    });
    expect(sarifLocation('/abs/x.vpt', 3, 'SRCROOT').physicalLocation).toEqual({
      artifactLocation: { uri: 'file:///abs/x.vpt' },
    });
    expect(sarifLocation('C:\\t\\x.txt', 3, 'SRCROOT').physicalLocation).toEqual({
      artifactLocation: { uri: 'file:///C:/t/x.txt' },
    });
    // A gzip file's lines are the decompressed text's, which no viewer of the file shows.
    for (const gz of ['t/x.jsonl.gz', 't/x.txt.GZ'])
      expect(sarifLocation(gz, 3, 'SRCROOT', 13).physicalLocation).not.toHaveProperty('region');
  });

  it('carries hostile strings as data', () => {
    const evil = hostileNightlyFixture();
    const l = JSON.parse(nightlySarifJson(evil)) as Json;
    checkShape(l);
    expect(JSON.stringify(l)).toContain(JSON.stringify(HOSTILE.message).slice(1, -1));
  });

  it('marks an interrupted run as not successful', () => {
    const l = nightlySarif({ ...report, interrupted: true });
    expect(l.runs[0].invocations[0].executionSuccessful).toBe(false);
  });

  it("records the run's build revision in its properties, when the report has one", () => {
    expect(log.runs[0].properties['buildRevision']).toBe('5eed0b1d2c3a');
    const older = withoutBuildRevision(report);
    expect(nightlySarif(older).runs[0].properties).not.toHaveProperty('buildRevision');
  });

  it("says what --history-recover did in the run's properties, and only then", () => {
    expect(log.runs[0].properties).not.toHaveProperty('historyRecovered');
    const l = nightlySarif({ ...report, historyRecovered: RECOVERED });
    expect(l.runs[0].properties['historyRecovered']).toBe(RECOVERED_TEXT);
    checkShape(JSON.parse(JSON.stringify(l)) as Json);
  });

  it("names the run's --disable'd functions in the run's properties, and only when there are some", () => {
    expect(log.runs[0].properties).not.toHaveProperty('disabled');
    const disabled = ['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory'];
    const l = nightlySarif({ ...report, fuzzDetail: { disabled } });
    expect(l.runs[0].properties['disabled']).toEqual(disabled);
    checkShape(JSON.parse(JSON.stringify(l)) as Json);
    expect(nightlySarif({ ...report, fuzzDetail: {} })).toEqual(log);
  });

  it("lists the buckets still open that nothing showed in the run's properties, as report.json does", () => {
    // No result carries one: no finding and no failing trace showed it tonight.
    expect(log.runs[0].properties['stillOpen']).toEqual([STILL_OPEN]);
    const text = nightlySarifJson(report);
    const back = JSON.parse(text) as { runs: { properties: Record<string, unknown> }[] };
    expect(back.runs[0]?.properties['stillOpen']).toEqual([STILL_OPEN]);
    expect(results.some((r) => JSON.stringify(r).includes(STILL_OPEN.signature))).toBe(false);
    const { stillOpen, ...older } = report;
    expect(stillOpen).toHaveLength(1);
    for (const none of [{ ...report, stillOpen: [] }, older])
      expect(nightlySarif(none).runs[0].properties).not.toHaveProperty('stillOpen');
  });
});
