// `vpdma replay --disable`: a target that lacks some functions replays the rest of a corpus
// cleanly; the traces that call one are skipped, and the summary, --json and --junit say which
// and why (docs/replay.md).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-disable-'));
// Throws "not implemented" for VideoPortMapBankedMemory and VideoPortGetCommonBuffer.
const base = ['replay', 'corpus', '--target', 'module:test/fixtures/partial-target.mjs', '--quiet'];
const SKIPPED = [
  ['corpus/divergence-get-common-buffer-cap.jsonl', 'VideoPortGetCommonBuffer'],
  ['corpus/divergence-map-banked-memory.jsonl', 'VideoPortMapBankedMemory'],
  ['corpus/legacy-common-buffers.jsonl', 'VideoPortGetCommonBuffer'],
].map(([trace, fn]) => ({ trace, reason: `calls ${fn}, which --disable names` }));

interface Report {
  disabled?: string[];
  skipped?: { trace: string; reason: string }[];
  summary: { traces: number; passed: number; crashed: number; skipped?: number };
  traces: { trace: string }[];
}

describe('replay --disable', () => {
  it('without it, the traces calling a missing function are target-crashed (exit 3)', async () => {
    const json = join(dir, 'without.json');
    const r = await run([...base, '--json', json]);
    expect(r.code).toBe(3);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.summary.crashed).toBe(SKIPPED.length);
    expect(rep).not.toHaveProperty('skipped');
    expect(rep).not.toHaveProperty('disabled');
    expect(rep.summary).not.toHaveProperty('skipped');
  }, 60_000);

  it('with it, they are skipped and listed with the function, and the rest pass', async () => {
    const json = join(dir, 'with.json');
    const junit = join(dir, 'with.xml');
    const args = ['--disable', 'MapBankedMemory', '--disable', 'VideoPortGetCommonBuffer'];
    const r = await run([...base, ...args, '--json', json, '--junit', junit]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(' skipped=3 ');
    // The summary goes to stdout when no report does.
    expect(r.out).toContain('3 traces skipped, not replayed or counted above (--disable):');
    for (const s of SKIPPED) expect(r.out).toContain(`  ${s.trace}: ${s.reason}\n`);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.disabled).toEqual(['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory']);
    expect(rep.skipped).toEqual(SKIPPED);
    expect(rep.summary).toMatchObject({ skipped: 3, crashed: 0 });
    expect(rep.summary.passed).toBe(rep.summary.traces);
    expect(rep.traces.map((t) => t.trace)).not.toContain(SKIPPED[0]?.trace);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(
      '<testcase classname="corpus" name="divergence-map-banked-memory.jsonl">\n      <skipped message="calls VideoPortMapBankedMemory, which --disable names"/>',
    );
    expect(xml).toContain('skipped="3"');
  }, 60_000);

  it('leaving out every trace given is exit 2, said in one line, with the reports still written', async () => {
    const json = join(dir, 'none.json');
    const trace = 'corpus/divergence-map-banked-memory.jsonl';
    const args = ['replay', trace, '--target', 'module:test/fixtures/partial-target.mjs'];
    const r = await run([...args, '--quiet', '--disable', 'MapBankedMemory', '--json', json]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(
      'vpdma replay: nothing replayed: the one trace given calls a function --disable names, so nothing was checked (exit 2)\n',
    );
    const rep = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(rep.summary).toMatchObject({ traces: 0, skipped: 1 });
    expect(rep.skipped?.map((s) => s.trace)).toEqual([trace]);
  }, 60_000);

  it("refuses what fuzz's --disable refuses, before any work (exit 2)", async () => {
    for (const bad of ['MapDmaMemry', '@read', ','])
      expect((await run([...base, '--disable', bad])).code).toBe(2);
  });
});

describe("docs/replay.md's --disable example", () => {
  it('is what replay prints for a target lacking MapBankedMemory alone', async () => {
    const doc = readFileSync(new URL('../../docs/replay.md', import.meta.url), 'utf8');
    const example = /\$ npx vpdma replay corpus .*--disable MapBankedMemory\n((?: {4}.*\n)+)/.exec(
      doc,
    );
    const shown = (example?.[1] ?? '').split('\n').filter((l) => l !== '');
    expect(shown).toHaveLength(3);
    process.env['VPDMA_FIXTURE_MISSING'] = 'VideoPortMapBankedMemory';
    try {
      const r = await run([...base, '--workers', '1', '--disable', 'MapBankedMemory']);
      expect(r.code).toBe(0);
      for (const line of shown) expect(r.out).toContain(`${line.slice(4)}\n`);
    } finally {
      delete process.env['VPDMA_FIXTURE_MISSING'];
    }
  }, 60_000);
});
