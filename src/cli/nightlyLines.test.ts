// `vpdma nightly` places a failing corpus trace's call as `vpdma replay` does: `a.txt:5 (call
// 1)` where the file has lines (.txt, .jsonl), `c.vpt:call 1` where it has none, in the summary
// and in every report that names the place (report.json's `line`, JUnit's failure message,
// SARIF's region and message, the HTML corpus section). A real night, dist/ built.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A comment and a blank line before the calls: the failing call (call 1) is on line 5.
const TRACE = `#! vpdma-trace v1 profile=docs
# set, then read back: a target that remembers bytesUsed fails the read

VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=4096)
VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0)
`;
const TARGET = 'mutant:bytes-used-remembered';

interface Violation {
  trace: string;
  callIndex: number;
  line?: number;
}

describe('a nightly whose corpus traces fail', () => {
  const regress = join(dir, 'regress');
  const out = join(dir, 'out');
  const [txt, jsonl, vpt] = ['a.txt', 'b.jsonl', 'c.vpt'].map((n) => join(regress, n));
  let night: CliRun;
  beforeAll(async () => {
    mkdirSync(regress);
    writeFileSync(txt ?? '', TRACE);
    for (const to of [jsonl, vpt])
      expect((await runCli(['convert', txt ?? '', to ?? ''])).code).toBe(0);
    const args = ['--replay', regress, '--runs', '5', '--out', out, '--quiet', '--workers', '1'];
    night = await runCli(['nightly', '--target', TARGET, ...args]);
  });

  it('names the line of the failing call in the summary, as vpdma replay does', () => {
    expect(night.code, night.err).toBe(1);
    expect(TRACE.split('\n')[4]).toMatch(/^VideoPortGetBytesUsed\(/);
    const lines = night.out.split('\n');
    const message =
      'inert-return-mismatch in VideoPortGetBytesUsed: VideoPortGetBytesUsed returned';
    expect(lines).toContainEqual(
      expect.stringMatching(`^  \\[new\\] ${txt}:5 \\(call 1\\): ${message}`),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(`^  \\[new\\] ${jsonl}:3 \\(call 1\\): ${message}`),
    );
    expect(lines).toContainEqual(expect.stringMatching(`^  \\[new\\] ${vpt}:call 1: ${message}`));
  });

  it('records it in report.json: line beside callIndex, in corpus.violations and violations', () => {
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      corpus: { violations: Violation[] };
      violations: Violation[];
    };
    const placed = (vs: Violation[]): [string, number, number | undefined][] =>
      vs.filter((v) => v.trace.startsWith(regress)).map((v) => [v.trace, v.callIndex, v.line]);
    const expected = [
      [txt, 1, 5],
      [jsonl, 1, 3],
      [vpt, 1, undefined],
    ];
    expect(placed(report.corpus.violations)).toEqual(expected);
    expect(placed(report.violations)).toEqual(expected);
  });

  it('names it in junit.xml, results.sarif and report.html', () => {
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const at = (place: string): string =>
      `<failure message="inert-return-mismatch at ${place} (VideoPortGetBytesUsed) [new]"`;
    expect(junit).toContain(at('line 5 (call 1)'));
    expect(junit).toContain(at('line 3 (call 1)'));
    expect(junit).toContain(at('call 1'));
    const sarif = JSON.parse(readFileSync(join(out, 'results.sarif'), 'utf8')) as {
      runs: {
        results: {
          message: { text: string };
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    // The place ends the message, before the rule it cites (GetBytesUsed's constant: §1 E).
    const of = (trace: string) =>
      results.find((r) =>
        r.message.text.endsWith(`of corpus trace ${trace}; new) Rule: spec §1 E.`),
      );
    // A .txt trace's line is the report's: its calls are not one a line, so not callIndex + 2.
    expect(of(txt ?? '')?.locations[0]?.physicalLocation.region).toEqual({ startLine: 5 });
    expect(of(txt ?? '')?.message.text).toContain('(VideoPortGetBytesUsed, line 5 (call 1) of ');
    expect(of(jsonl ?? '')?.locations[0]?.physicalLocation.region).toEqual({ startLine: 3 });
    expect(of(vpt ?? '')?.locations[0]?.physicalLocation.region).toBeUndefined();
    expect(of(vpt ?? '')?.message.text).toContain('(VideoPortGetBytesUsed, call 1 of ');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      `<li><code>${txt}:5</code> (call 1) (<code>VideoPortGetBytesUsed</code>)`,
    );
    expect(html).toContain(`<li><code>${vpt}</code> call 1 (<code>VideoPortGetBytesUsed</code>)`);
  });
});
