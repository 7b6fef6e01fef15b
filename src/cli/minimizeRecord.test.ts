// What `vpdma minimize` records in the repro it writes (meta.minimized): besides what it was
// minimized from, everything that decides the repro, seed (null: it draws nothing at random),
// target, timeoutMs, attempts and workerHeapMb, so that the same input minimized again with
// the recorded options gives the same repro, byte for byte. Workers run dist/: build first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseText } from '../trace/textParse.js';
import { runCli as run } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-minimize-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Case 46 of seed 5 against drops-map-registers: 21 calls, 6 once fully minimized. */
const CASE = join(root, 'test/fixtures/reshape-case.txt');

interface Minimized {
  from: string;
  calls: number;
  kind: string;
  fn: string;
  seed: null;
  target: string;
  timeoutMs: number;
  attempts: number;
  workerHeapMb?: number;
}

function metaOf(file: string): Record<string, unknown> & { minimized: Minimized } {
  const parsed = parseText(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.value.header.meta as unknown as Record<string, unknown> & {
    minimized: Minimized;
  };
}

describe('vpdma minimize records how it minimized', () => {
  it('records the options that decide the repro, and they give the same bytes again', async () => {
    const first = join(dir, 'first.min.txt');
    const args = ['--target', 'mutant:drops-map-registers', '--attempts', '50'];
    const more = ['--timeout', '3000', '--worker-heap-mb', '128', '--workers', '2'];
    const r = await run(['minimize', CASE, ...args, ...more, '--out', first, '--quiet']);
    expect(r.code, r.err).toBe(1);
    // The budget ran out: the repro is what 50 attempts reached, not the 6-call one.
    expect(r.out).toContain('minimized 21 -> 9 calls: 50 attempts');
    const meta = metaOf(first);
    expect(meta.minimized).toEqual({
      from: 'reshape-case.txt',
      calls: 21,
      kind: 'transfer-state-changed',
      fn: 'VideoPortMapDmaMemory',
      seed: null,
      target: 'mutant:drops-map-registers',
      timeoutMs: 3000,
      attempts: 50,
      workerHeapMb: 128,
    });
    // The seed that finds the case with vpdma fuzz stays the input's, as it was.
    expect(meta['seed']).toBe('5');
    // Again from the record alone (and another worker count, which never changes the repro).
    const m = meta.minimized;
    const again = join(dir, 'again.min.txt');
    const rerun = [
      ...['--target', m.target, '--kind', m.kind, '--fn', m.fn],
      ...['--attempts', String(m.attempts), '--timeout', String(m.timeoutMs)],
      ...['--worker-heap-mb', String(m.workerHeapMb), '--workers', '1'],
    ];
    const r2 = await run([
      'minimize',
      join(root, 'test/fixtures', m.from),
      ...rerun,
      '--out',
      again,
    ]);
    expect(r2.code, r2.err).toBe(1);
    expect(readFileSync(again)).toEqual(readFileSync(first));
    // The record matters: another --attempts gives another repro.
    const other = join(dir, 'other.min.txt');
    const r3 = await run([
      'minimize',
      CASE,
      ...args.slice(0, 2),
      '--attempts',
      '150',
      '--out',
      other,
    ]);
    expect(r3.code, r3.err).toBe(1);
    expect(readFileSync(other)).not.toEqual(readFileSync(first));
    expect(metaOf(other).minimized).toMatchObject({ attempts: 150, timeoutMs: 5000 });
    expect(metaOf(other).minimized).not.toHaveProperty('workerHeapMb');
  });
});
