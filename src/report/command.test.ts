// The commands the nightly reports give for a failing corpus trace name a bundled one by its
// `corpus:NAME` (the CLI's commandTraceName), which works wherever vpdma is installed.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { corpusMinimizeCommand } from './command.js';
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
