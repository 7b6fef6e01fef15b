// Every report format carries a violation's rule (replay/ruleSource.ts) beside it, and says
// nothing for one that cites none: JUnit in the failure's body (its `message` stays short),
// SARIF as result properties and a sentence of the message (ruleId and fingerprints as they
// were), the HTML page as text with the stricter link a link.
import { describe, expect, it } from 'vitest';
import {
  citedNightlyFixture,
  HOSTILE_STRICTER,
  nightlyFixture,
} from '../../test/support/reportFixtures.js';
import { cited } from '../replay/ruleSource.js';
import { nightlyHtml } from './html.js';
import { caseForTrace, junitXml, violationBody } from './junit.js';
import { nightlyJunitXml } from './nightlyJunit.js';
import type { ReportViolation } from './replayReport.js';
import { FINDING_FINGERPRINT, nightlySarif } from './sarif.js';

const cite = (v: ReportViolation): ReportViolation => cited(v, 'docs');
const report = citedNightlyFixture(cite);
const LINK = 'docs/spec-gaps.md#getcommonbuffers-pactuallength-compared-exactly';
const STRICTER = `stricter than the documentation: see ${LINK}`;

describe('the cited fixture', () => {
  it('cites as ruleSource.ts does: the invariant, the section and the gap, and nothing for a crash', () => {
    expect(report.corpus.violations.map((v) => v.rule)).toEqual([
      'spec §4 invariant 5',
      'spec §4 invariant 5',
    ]);
    const [lead, crash] = report.findings;
    expect(lead?.violationsAtCall).toMatchObject([
      { rule: 'spec §1 B', stricter: LINK },
      { kind: 'return-mismatch', rule: 'spec §1 B' },
    ]);
    expect(lead?.violationsAtCall?.[1]).not.toHaveProperty('stricter');
    expect(crash?.violationsAtCall).toEqual([{ kind: 'target-crashed', message: crash?.message }]);
  });
});

describe('JUnit', () => {
  const [mapDma] = report.corpus.violations as [ReportViolation];

  it("replay's body cites the rule after the values; the message attribute does not", () => {
    const body = violationBody(mapDma, 'vpdma replay x');
    expect(body.split('\n')).toEqual([
      mapDma.message,
      'field: ret',
      'expected: 0x0',
      'actual: 0xffffc00000002000',
      'rule: spec §4 invariant 5',
      '',
      'Reproduce: vpdma replay x',
    ]);
    const entry = report.corpus.traces[1]!;
    const xml = junitXml('vpdma replay', [caseForTrace(entry, report.corpus.violations)]);
    expect(xml).toMatch(/<failure message="[^"]*"/);
    expect(xml.match(/<failure message="([^"]*)"/)?.[1]).not.toContain('spec');
    expect(xml.match(/rule: spec §4 invariant 5/g)).toHaveLength(2);
  });

  it('a violation citing nothing has no rule line; an uncited report none anywhere', () => {
    const crash: ReportViolation = cite({
      kind: 'target-crashed',
      fn: 'VideoPortDoDma',
      callIndex: 3,
      message: 'target exited',
      trace: 't.jsonl',
    });
    expect(violationBody(crash)).toBe('target exited');
    expect(nightlyJunitXml(nightlyFixture())).not.toMatch(/rule: |stricter than/);
  });

  it("nightly's finding body cites its lead's rule and gap under the message, and each other one's", () => {
    const xml = nightlyJunitXml(report);
    const lead = report.findings[0]!;
    expect(xml).toContain(`${lead.message}\nrule: spec §1 B\n${STRICTER}\n\nalso at call 1:`);
    expect(xml).toContain(
      '  return-mismatch (ret): VideoPortGetCommonBuffer ret: expected NULL (docs oracle), got a new commonBuffer\n    rule: spec §1 B\n',
    );
    const crashCase = xml.slice(xml.indexOf('target-crashed VideoPortUnmapDmaMemory'));
    expect(crashCase.slice(0, crashCase.indexOf('</testcase>'))).not.toContain('rule:');
    for (const m of xml.matchAll(/<(?:failure|error) message="([^"]*)"/g))
      expect(m[1]).not.toMatch(/spec §|spec-gaps/);
  });
});

describe('SARIF', () => {
  const log = nightlySarif(report);
  const run = log.runs[0];
  const byFingerprint = (sig: string) =>
    run.results.find((r) => r.partialFingerprints[FINDING_FINGERPRINT] === sig);

  it('a result carries rule and stricter as properties and a sentence of its message', () => {
    const r = byFingerprint('out-param-mismatch/GetCommonBuffer/b16daefe');
    expect(r?.properties).toMatchObject({ rule: 'spec §1 B', stricter: LINK });
    expect(r?.message.text).toContain(
      `of a 3-call repro; regressed). Rule: spec §1 B; ${STRICTER}. Also at call 1:`,
    );
    const corpus = run.results.filter((x) => !(FINDING_FINGERPRINT in x.partialFingerprints));
    expect(corpus.map((x) => x.properties['rule'])).toEqual([
      'spec §4 invariant 5',
      'spec §4 invariant 5',
    ]);
    expect(corpus[0]?.message.text).toMatch(/\) Rule: spec §4 invariant 5\.$/);
  });

  it('one citing nothing has neither', () => {
    const r = byFingerprint(report.findings[1]!.signature);
    expect(r?.properties).not.toHaveProperty('rule');
    expect(r?.properties).not.toHaveProperty('stricter');
    expect(r?.message.text).not.toContain('Rule:');
  });

  it('is additive: ruleId, ruleIndex and fingerprints are what the uncited report gives', () => {
    const plain = nightlySarif(nightlyFixture()).runs[0];
    const ids = (rs: typeof run.results) =>
      rs
        .filter((x) => !(FINDING_FINGERPRINT in x.partialFingerprints))
        .map((x) => [x.ruleId, x.ruleIndex, x.partialFingerprints]);
    expect(ids(run.results)).toEqual(ids(plain.results));
    expect(plain.results.some((x) => 'rule' in x.properties)).toBe(false);
  });

  it("each kind's rule says what it cites; a fixed one as specRule too", () => {
    const rules = new Map(run.tool.driver.rules.map((r) => [r.id, r]));
    expect(rules.get('map-dma-wrote-out-param')?.properties).toEqual({
      specRule: 'spec §4 invariant 5',
    });
    expect(rules.get('map-dma-wrote-out-param')?.fullDescription.text).toMatch(
      /Rule: spec §4 invariant 5 \(docs\/spec\/videoport-dma\.md\)\.$/,
    );
    expect(rules.get('return-mismatch')).not.toHaveProperty('properties');
    expect(rules.get('return-mismatch')?.help.text).toContain("each result's `rule` property");
    expect(rules.get('target-timeout')?.help.text).toMatch(/Rule: none \(.+\)\.$/);
  });
});

describe('HTML', () => {
  const rule = `<span class="rule">(rule: spec §1 B; stricter than the documentation: see <a href="${LINK}">${LINK}</a>)</span>`;

  it("shows the rule beside a finding's message and each violation at its call, the gap linked", () => {
    const html = nightlyHtml(report);
    expect(html).toContain(`${report.findings[0]!.message} ${rule}</p>`);
    expect(html).toContain(
      'got a new commonBuffer <span class="rule">(rule: spec §1 B)</span></li>',
    );
    expect(html.match(/\(rule: spec §4 invariant 5\)<\/span><\/li>/g)).toHaveLength(2);
  });

  it('shows nothing for a violation citing nothing, nor for an uncited report', () => {
    const html = nightlyHtml(report);
    const crash = html.slice(html.indexOf('id="finding-2"'));
    expect(crash.slice(0, crash.indexOf('</article>'))).not.toContain('class="rule"');
    expect(nightlyHtml(nightlyFixture())).not.toContain('class="rule"');
  });

  it("links the gap into vpdma's install when the CLI gives it, the anchor kept", () => {
    const html = nightlyHtml(report, undefined, '/opt/vpdma/');
    expect(html).toContain(`<a href="file:///opt/vpdma/${LINK}">${LINK}</a>`);
  });

  it('escapes a hostile link read back from a report: no markup, no scheme', () => {
    const html = nightlyHtml(citedNightlyFixture(cite, HOSTILE_STRICTER));
    expect(html).not.toContain('<script>x');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain(
      '<a href="javascript%3Aalert(1)/docs/spec-gaps.md#%22%3E%3Cscript%3Ex%3C%2Fscript%3E">',
    );
  });
});
