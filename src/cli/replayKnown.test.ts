// `vpdma replay --known`: model:reactos's divergences from the documentation are exactly the
// README's table and the bundled reactos-divergences list (the one replay of the whole corpus
// here), the same divergence has the same signature through a port wrapping the model, and a
// port's own bug is the one violation a replay with the list counts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import type { ReplayReport } from '../report/replayReport.js';
import { loadKnown } from './knownFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-known-'));
const read = (path: string): ReplayReport => JSON.parse(readFileSync(path, 'utf8')) as ReplayReport;
const PORT = 'module:test/fixtures/reactos-port.mjs';
/** Four divergences of GetMdl, UnlockPages, MapMemory, UnmapMemory and LockPages. */
const DIVERGENCES = 'corpus:divergence-answers';
/** No divergence, and USER_MODE MapDmaMemory calls: the port's bug shows here only. */
const USER_MODE_MAPS = 'corpus:legacy-mapdma-flags';

describe('vpdma replay --known', () => {
  it('reports exactly the documented ReactOS divergences for model:reactos, the bundled list', async () => {
    const json = join(dir, 'reactos.json');
    const args = ['replay', 'corpus:', '--target', 'model:reactos', '--profile', 'docs'];
    const r = await runCli([...args, '--known', 'reactos-divergences', '--quiet', '--json', json]);
    const report = read(json);
    const found = new Set(report.violations.map((v) => `${v.kind} ${v.fn} ${v.field ?? ''}`));
    // Each line is a "[R]" note of spec §1–2, and a row of the README's table.
    expect([...found].sort()).toEqual(
      [
        'inert-return-mismatch VideoPortGetMdl ret', // E: GetMdl is a stub returning NULL
        'return-mismatch VideoPortUnlockPages ret', // C: UnlockPages returns FALSE
        'return-mismatch VideoPortMapMemory ret', // F: translation failure is 8, not 87
        'return-mismatch VideoPortUnmapMemory ret', // F: UnmapMemory always NO_ERROR
        'out-param-mismatch VideoPortLockPages out.pVrp.outputBuffer', // C: OutputBuffer NULLed first
        'out-param-mismatch VideoPortLockPages out.pVrp.outputBufferLength', // C: the MDL, not a list
        'return-mismatch VideoPortGetCommonBuffer ret', // B: the 0x40000 cap
        'out-param-mismatch VideoPortGetCommonBuffer out.pActualLength', // B: ... *pActualLength unwritten
        'out-param-mismatch VideoPortGetCommonBuffer out.logicalAddress', // B: ... nor *LogicalAddress
        'return-mismatch VideoPortMapBankedMemory ret', // F: unimplemented, ERROR_INVALID_FUNCTION
        'out-param-mismatch VideoPortMapBankedMemory out.virtualAddress',
        'out-param-mismatch @executeDma out.elements', // D: StartDma ignores Offset and *pLength
        'out-param-mismatch @executeDma out.elements[0].length', // D: ... as many elements
        'memory-mismatch VideoPortUnmapMemory 0xffffc00000000000', // F: ProcessHandle ignored
        'return-mismatch VideoPortStartDma ret', // D: whole MDL or nothing
        'out-param-mismatch VideoPortStartDma out.pLength', // D: *pLength = 0 on kernel failure
      ].sort(),
    );
    // known/reactos-divergences.txt is what the model shows: no signature more, none fewer.
    // Drifted: the lines it needs are the report's violations[].signature, sorted and unique.
    const listed = [...((await loadKnown(['reactos-divergences']))?.signatures ?? [])].sort();
    const seen = [...new Set(report.violations.map((v) => v.signature ?? ''))].sort();
    expect(seen).toEqual(listed);
    expect(report.violations.every((v) => v.known === true)).toBe(true);
    expect(report.summary.known).toBe(report.summary.violations);
    expect(report.knownFrom).toEqual(['reactos-divergences']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `^violations ${report.summary.violations}: ${report.summary.violations} known \\(from reactos-divergences\\) not counted, 0 not known$`,
        'm',
      ),
    );
    expect(r.out).not.toMatch(/first violations/);
  });

  describe('a ReactOS port wrapping the model, with one bug of its own', () => {
    const model = join(dir, 'model.json');
    const port = join(dir, 'port.json');
    let modelRun: { code: number };
    beforeAll(async () => {
      const common = ['--profile', 'docs', '--quiet', '--json'];
      modelRun = await runCli([
        'replay',
        DIVERGENCES,
        '--target',
        'model:reactos',
        ...common,
        model,
      ]);
      await runCli(['replay', DIVERGENCES, USER_MODE_MAPS, '--target', PORT, ...common, port]);
    });

    it('shows each divergence the model shows at the same place with the same signature', () => {
      expect(modelRun.code).toBe(1);
      const place = (r: ReplayReport): string[] =>
        r.violations
          .filter((v) => v.trace.endsWith('divergence-answers.jsonl'))
          .map((v) => `${v.line ?? ''} ${v.signature ?? ''}`);
      expect(place(read(model)).length).toBeGreaterThan(0);
      expect(place(read(port))).toEqual(place(read(model)));
      // The port's own bug is elsewhere, under another signature.
      const own = read(port).violations.filter((v) =>
        v.trace.endsWith('legacy-mapdma-flags.jsonl'),
      );
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own.map((v) => v.signature))).toEqual(
        new Set(['map-dma-wrote-out-param/MapDmaMemory/b8a02000']),
      );
    });

    it('counts only its own bug with --known reactos-divergences; JUnit skips the rest', async () => {
      const json = join(dir, 'port-known.json');
      const junit = join(dir, 'port-known.xml');
      const r = await runCli([
        ...['replay', DIVERGENCES, USER_MODE_MAPS, '--target', PORT, '--profile', 'docs'],
        ...['--known', 'reactos-divergences', '--quiet', '--json', json, '--junit', junit],
      ]);
      expect(r.code).toBe(1);
      const report = read(json);
      const unknown = report.violations.filter((v) => v.known !== true);
      expect(new Set(unknown.map((v) => v.trace.split('/').pop()))).toEqual(
        new Set(['legacy-mapdma-flags.jsonl']),
      );
      const known = report.summary.known ?? 0;
      expect(known).toBe(read(model).violations.length);
      expect(r.out).toContain(
        `violations ${report.summary.violations}: ${known} known (from reactos-divergences) not counted, ${unknown.length} not known`,
      );
      expect(r.out).toMatch(/first violations not known:\n {2}\S*legacy-mapdma-flags\.jsonl:/);
      expect(r.out).not.toMatch(/divergence-answers\.jsonl:\d+ \(call/);
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toMatch(/tests="2" failures="1" errors="0" skipped="1"/);
      expect(xml).toMatch(
        /name="divergence-answers\.jsonl">\n {6}<skipped message="known \(from reactos-divergences\), not counted: \d+ violations: inert-return-mismatch\/GetMdl\/b8a02000, /,
      );
      expect(xml).toMatch(
        /name="legacy-mapdma-flags\.jsonl">\n {6}<failure message="map-dma-wrote-out-param at line/,
      );
    });

    it('passes with an earlier report.json as the baseline when it shows nothing new', async () => {
      // model:reactos's own report: what the port shows beyond it is new (the probe's diff).
      const args = ['replay', DIVERGENCES, '--target', PORT, '--profile', 'docs', '--quiet'];
      const r = await runCli([...args, '--known', model]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/ known \(from \S+model\.json\) not counted, 0 not known\n/);
    });
  });

  it('refuses a malformed file before replaying anything: one line, exit 2', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'return-mismatch/UnlockPages/f586ddc4\nreturn-mismatch UnlockPages\n');
    const json = join(dir, 'never.json');
    const r = await runCli(['replay', DIVERGENCES, '--known', bad, '--quiet', '--json', json]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `vpdma: --known ${bad}: line 2: not a signature (kind/Function/hash, as report.json's violations[].signature)\n`,
    );
    expect(() => readFileSync(json)).toThrow();
  });
});
