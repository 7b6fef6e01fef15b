// A corruption the target does not report (touched() leaves it out) is found late: by the
// rotating sample or the final sweep, named after the call where it showed. Minimized, it
// must come out at the call that made it, not keep the calls that merely revealed it: else
// one bug is a finding per last call of a case (a user probe counted 15 for this fault).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { readTrace } from '../../src/store/traceFiles.js';
import { formatJsonl } from '../../src/trace/jsonl.js';
import { BINARY, FILLER, mapDmaSession } from './testKit.js';

const TARGET = `process:VPDMA_C_FAULT=corrupt-silently-on-mapdma '${BINARY}'`;
const header = { format: 'vpdma-trace', version: 1, device: {}, meta: {} } as const;
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vpdma-late-memory-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('memory corrupted silently, found late', () => {
  it.each([
    ['the final sweep, after a @write elsewhere', 1, 'write' as const, '@write'],
    ['the rotating sample, 23 obsolete calls later', 1, 23, FILLER.fn],
  ])('by %s: minimized to end at MapDmaMemory', async (_how, before, after, shownAt) => {
    const file = join(dir, `case-${String(after)}.jsonl`);
    await writeFile(file, formatJsonl({ header, calls: mapDmaSession(before, after) }));
    const replayed = await runCli(['replay', file, '--target', TARGET, '--quiet', '--json', '-']);
    const report = JSON.parse(replayed.out) as { violations: { kind: string; fn: string }[] };
    expect(report.violations[0]).toMatchObject({ kind: 'memory-mismatch', fn: shownAt });

    const out = join(dir, `case-${String(after)}.min.jsonl`);
    const r = await runCli(['minimize', file, '--target', TARGET, '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    const repro = await readTrace(out);
    if (!repro.ok) throw new Error(repro.error.message);
    const fns = repro.value.calls.map((c) => c.fn);
    // Nothing after the call that corrupted memory, and none of the filler that moved the sample.
    expect(fns.at(-1)).toBe('VideoPortMapDmaMemory');
    expect(fns).not.toContain(FILLER.fn);
    expect(r.out).toMatch(/repro: memory-(corrupted|mismatch) in VideoPortMapDmaMemory/);
  });
});
