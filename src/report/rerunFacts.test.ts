// What a re-run of the night's fuzz phase needs (nightlySchema rerunFacts), as junit.xml,
// results.sarif and report.html record it: here --rounds, recorded only when given.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { nightlyHtml } from './html.js';
import { nightlyJunitXml } from './nightlyJunit.js';
import { rerunFacts } from './nightlySchema.js';
import { nightlySarif } from './sarif.js';

describe('--rounds among the rerun facts', () => {
  const report = nightlyFixture();
  const rounds = { ...report, fuzzDetail: { callsMax: 20, rounds: 64, timeoutMs: 5000 } };
  const without = { ...report, fuzzDetail: { callsMax: 20, timeoutMs: 5000 } };

  it('follows callsMax, and is absent without --rounds', () => {
    expect(rerunFacts(rounds)).toEqual([
      ['callsMax', '20'],
      ['rounds', '64'],
      ['timeoutMs', '5000'],
    ]);
    expect(rerunFacts(without).map(([k]) => k)).not.toContain('rounds');
  });

  it('is a property of each junit.xml suite (corpus and findings)', () => {
    const prop = '<property name="rounds" value="64"/>';
    expect(nightlyJunitXml(rounds).split(prop)).toHaveLength(3);
    expect(nightlyJunitXml(without)).not.toContain('name="rounds"');
  });

  it("is in the SARIF run's properties", () => {
    expect(nightlySarif(rounds).runs[0].properties['rounds']).toBe('64');
    expect(nightlySarif(without).runs[0].properties).not.toHaveProperty('rounds');
  });

  it("is a row of report.html's Run table", () => {
    const row = '<th scope="row">Cases per round (--rounds)</th><td><code>64</code></td>';
    expect(nightlyHtml(rounds)).toContain(row);
    expect(nightlyHtml(without)).not.toContain('Cases per round');
  });
});
