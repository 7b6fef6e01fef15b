// A merge given fewer shards than the run had: still `interrupted` (what scripts and the
// history read as "incomplete"), but JUnit, SARIF and HTML name the missing shards instead of
// saying the run was interrupted.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { nightlyHtml } from './html.js';
import { nightlyJunitXml } from './nightlyJunit.js';
import type { NightlyReport } from './nightlySchema.js';
import { nightlySarif } from './sarif.js';

const base = nightlyFixture();
const merged = (shardsMissing?: readonly string[]): NightlyReport => {
  const { shard, ...rest } = base;
  expect(shard).toBeDefined();
  return {
    ...rest,
    command: 'merge',
    shards: ['1/3'],
    interrupted: true,
    ...(shardsMissing === undefined ? {} : { shardsMissing }),
  };
};

describe('a merge with shards missing', () => {
  const r = merged(['2/3', '3/3']);

  it('is a shards-missing error case in JUnit, not an interrupted one, and a suite property', () => {
    const xml = nightlyJunitXml(r);
    expect(xml).toMatch(
      /<testcase classname="vpdma" name="shards missing">\s*<error message="shards 2\/3, 3\/3 missing: the reports cover the shards given" type="shards-missing"/,
    );
    expect(xml).not.toContain('interrupted:');
    expect(xml).not.toContain('type="interrupted"');
    expect(xml).toContain('<property name="shardsMissing" value="2/3 3/3"/>');
    // The property that was there before stays, with its value.
    expect(xml).toContain('<property name="interrupted" value="true"/>');
  });

  it('is an unsuccessful SARIF invocation whose notification names them', () => {
    const run = nightlySarif(merged(['2/3'])).runs[0];
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'shard 2/3 missing: the reports cover the shards given' },
      },
    ]);
    expect(run.properties).toMatchObject({ interrupted: true, shardsMissing: '2/3' });
  });

  it('is the HTML banner', () => {
    const page = nightlyHtml(r);
    expect(page).toContain(
      'role="alert">This merge is missing shards 2/3, 3/3: counts cover the shards given and nothing was marked fixed.</p>',
    );
    expect(page).not.toContain('This run was interrupted');
  });
});

describe('a merge with shards missing that a signal also stopped', () => {
  const r: NightlyReport = { ...merged(['2/3']), mergeInterrupted: true };
  const said =
    'interrupted, and shard 2/3 missing: the reports cover the shards given and the corpus entries copied before the signal';

  it('says both, in JUnit, SARIF and HTML', () => {
    expect(nightlyJunitXml(r)).toContain(`<error message="${said}" type="shards-missing"`);
    const run = nightlySarif(r).runs[0];
    expect(run.invocations[0].toolExecutionNotifications?.[0]?.message.text).toBe(said);
    expect(nightlyHtml(r)).toContain(
      'role="alert">This merge was interrupted (its corpus copy stopped) and is missing shard 2/3: counts cover the shards given',
    );
  });
});

describe('a run interrupted with every shard', () => {
  it('says interrupted, as before, in each report', () => {
    const r = merged();
    const xml = nightlyJunitXml(r);
    expect(xml).toMatch(
      /<testcase classname="vpdma" name="interrupted">\s*<error message="interrupted: the reports cover what finished before it" type="interrupted"/,
    );
    expect(xml).not.toContain('shardsMissing');
    const run = nightlySarif(r).runs[0];
    expect(run.invocations[0].toolExecutionNotifications?.[0]?.message.text).toBe(
      'interrupted: the reports cover what finished before it',
    );
    expect(run.properties).not.toHaveProperty('shardsMissing');
    expect(nightlyHtml(r)).toContain('This run was interrupted');
  });

  it('has no notification when it was not interrupted', () => {
    const inv = nightlySarif({ ...merged(), interrupted: false }).runs[0].invocations[0];
    expect(inv).toEqual({ executionSuccessful: true, startTimeUtc: base.startedAt });
  });
});
