// The commands the nightly reports give for a failing corpus trace name a bundled one by its
// `corpus:NAME` (the CLI's commandTraceName), which works wherever vpdma is installed, and
// repeat the night's --rss-limit-mb when not the default, as a fuzz finding's command does.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { corpusMinimizeCommand, corpusReplayCommand } from './command.js';
import { nightlyJunitXml } from './nightlyJunit.js';

describe('commands for a bundled corpus trace', () => {
  it('minimizes corpus:NAME to NAME.min.txt in the current directory', () => {
    const v = { trace: 'corpus:legacy-mapdma-flags.jsonl', kind: 'memory-corrupted', fn: 'F' };
    expect(corpusMinimizeCommand({ target: 'model', profile: 'docs' }, v)).toBe(
      'vpdma minimize corpus:legacy-mapdma-flags.jsonl --kind memory-corrupted --fn F --out legacy-mapdma-flags.min.txt --target model --profile docs',
    );
  });

  it("names a corpus trace in junit.xml's Reproduce line as it is told, and only there", () => {
    const report = nightlyFixture();
    const xml = nightlyJunitXml(report);
    const named = nightlyJunitXml(report, (t) => t.replace(/^corpus\//, 'corpus:'));
    expect(named).toContain(
      '\n\nReproduce: vpdma replay corpus:legacy-mapdma-flags.jsonl --target ',
    );
    expect(named).not.toContain('Reproduce: vpdma replay corpus/');
    // Only the command: the test case keeps its name and classname, the body its places.
    expect(named.replaceAll('replay corpus:', 'replay corpus/')).toBe(xml);
  });
});

describe("a corpus trace's commands and the night's --rss-limit-mb", () => {
  it("carries a process: target's --rss-limit-mb when it is not the default, as fuzz's commands do", () => {
    const v = { trace: 't.jsonl', kind: 'target-crash', fn: 'F' };
    const run = { target: 'process:./drv', profile: 'docs', rssLimitMb: 512 };
    expect(corpusReplayCommand(run, 't.jsonl', 1000, true)).toBe(
      'vpdma replay t.jsonl --target process:./drv --profile docs --timeout 1000 --rss-limit-mb 512 --explain',
    );
    expect(corpusMinimizeCommand(run, v, 1000)).toBe(
      'vpdma minimize t.jsonl --kind target-crash --fn F --out t.min.txt --target process:./drv --profile docs --timeout 1000 --rss-limit-mb 512',
    );
    // The default (2048) goes without saying; a model target has no such limit.
    for (const other of [
      { ...run, rssLimitMb: 2048 },
      { ...run, target: 'model' },
    ]) {
      expect(corpusReplayCommand(other, 't.jsonl')).not.toContain('--rss-limit-mb');
      expect(corpusMinimizeCommand(other, v)).not.toContain('--rss-limit-mb');
    }
  });

  it("gives junit.xml's Reproduce lines the night's --rss-limit-mb when not the default", () => {
    // The fixture's target is a process: one, its failing corpus trace legacy-mapdma-flags.
    const report = nightlyFixture();
    const at = (rssLimitMb: number): string =>
      nightlyJunitXml({ ...report, fuzzDetail: { timeoutMs: 5000, rssLimitMb } });
    expect(at(512)).toMatch(
      /Reproduce: vpdma replay corpus\/legacy-mapdma-flags\.jsonl --target .* --timeout 5000 --rss-limit-mb 512</,
    );
    expect(at(2048)).not.toContain('--rss-limit-mb');
  });
});

describe("a corpus trace's commands and the night's --worker-heap-mb", () => {
  it('carry it when the night gave it (a module target leaks into a crash only under it)', () => {
    const v = { trace: 't.jsonl', kind: 'target-crashed', fn: 'F' };
    const run = { target: 'module:t.mjs', profile: 'docs', workerHeapMb: 64 };
    expect(corpusReplayCommand(run, 't.jsonl', 1000, true)).toBe(
      'vpdma replay t.jsonl --target module:t.mjs --profile docs --timeout 1000 --worker-heap-mb 64 --explain',
    );
    expect(corpusMinimizeCommand(run, v, 1000)).toBe(
      'vpdma minimize t.jsonl --kind target-crashed --fn F --out t.min.txt --target module:t.mjs --profile docs --timeout 1000 --worker-heap-mb 64',
    );
    const none = { target: 'module:t.mjs', profile: 'docs' };
    expect(corpusReplayCommand(none, 't.jsonl')).not.toContain('--worker-heap-mb');
    expect(corpusMinimizeCommand(none, v)).not.toContain('--worker-heap-mb');
    const xml = nightlyJunitXml({
      ...nightlyFixture(),
      fuzzDetail: { timeoutMs: 5000, workerHeapMb: 64 },
    });
    expect(xml).toMatch(
      /Reproduce: vpdma replay corpus\/legacy-mapdma-flags\.jsonl --target .* --timeout 5000 --worker-heap-mb 64</,
    );
  });
});
