// A finding's original is on disk the moment its group is first seen: a run stopped before its
// findings are written (a CI job's SIGKILL) still leaves it, and it replays to the same
// violation; once the findings are written, only originals beside a finding stay.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import type { CampaignProgress } from '../fuzz/campaign.js';
import { createFuzzPool } from '../fuzz/executor.js';
import { runFuzz } from '../fuzz/run.js';
import { violation } from '../replay/violation.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { emptyHeader, type Trace } from '../trace/trace.js';
import { decodeVpt } from '../trace/vpt.js';
import { fuzzIo } from './fuzzIo.js';
import { newFindingText, originalWrites, type NewFinding } from './originalWrites.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-originals-'));

/** Every file under `root`, relative to it, sorted. */
function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const trace: Trace = { header: emptyHeader(), calls: [] };
const v = violation('map-dma-wrote-out-param', 'VideoPortMapDmaMemory', 2, 'wrote *Length');
const sig = signatureOfViolation(v);
const entry = (kept?: boolean): ReportFinding =>
  ({ signature: sig, ...(kept === undefined ? {} : { kept }) }) as ReportFinding;

describe('originalWrites', () => {
  it('writes original.txt and .vpt under the signature, and says so', async () => {
    const out = join(dir, 'says');
    const said: NewFinding[] = [];
    await originalWrites(out, (n) => said.push(n)).write(trace, 7, v);
    expect(filesUnder(join(out, 'findings'))).toEqual([
      `${sig}/original.txt`,
      `${sig}/original.vpt`,
    ]);
    const at = join(out, 'findings', sig, 'original.txt');
    expect(said).toEqual([{ caseIndex: 7, kind: v.kind, fn: v.fn, signature: sig, original: at }]);
    expect(newFindingText('fuzz', said[0]!, false)).toBe(
      `vpdma fuzz: new finding at case 7: map-dma-wrote-out-param in VideoPortMapDmaMemory (original: ${at})\n`,
    );
    expect(JSON.parse(newFindingText('fuzz', said[0]!, true))).toEqual({
      event: 'new finding',
      case: 7,
      kind: v.kind,
      fn: v.fn,
      signature: sig,
      original: at,
    });
  });

  it('keeps an original beside a finding of this run; removes one beside none, and its directories', async () => {
    for (const [name, findings, left] of [
      ['beside', [entry()], 2],
      ['none', [], 0],
      // An earlier run's repro reported instead: this run wrote nothing beside it.
      ['kept', [entry(true)], 0],
    ] as const) {
      const out = join(dir, `settle-${name}`);
      const w = originalWrites(out, () => undefined);
      await w.write(trace, 1, v);
      await w.settle(findings);
      expect(filesUnder(join(out, 'findings')), name).toHaveLength(left);
      expect(existsSync(join(out, 'findings', sig.split('/')[0]!)), name).toBe(left > 0);
      expect(existsSync(join(out, 'findings')), name).toBe(true);
    }
  });

  it("leaves an earlier run's finding of the same signature as it is", async () => {
    const out = join(dir, 'earlier');
    const at = join(out, 'findings', sig);
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, 'finding.json'), '{}\n');
    const said: NewFinding[] = [];
    const w = originalWrites(out, (n) => said.push(n));
    await w.write(trace, 3, v);
    await w.settle([]);
    expect(filesUnder(at)).toEqual(['finding.json']);
    expect(said[0]?.earlier).toBe(at);
    expect(newFindingText('fuzz', said[0]!, false)).toContain(
      `(an earlier run's finding of it is in ${at})`,
    );
  });
});

describe('a run stopped before its findings are written', () => {
  it('leaves the original of the first failing case, which replays to the same violation', async () => {
    const out = join(dir, 'killed');
    const target = 'mutant:associate-writes-vrp';
    const runs = 3000;
    const stop = new AbortController();
    const said: NewFinding[] = [];
    let last: CampaignProgress | undefined;
    const w = originalWrites(out, (n) => {
      said.push(n);
      stop.abort(); // the campaign stops with this case's original already on disk
    });
    const io = fuzzIo({
      keep: () => Promise.resolve('mem'),
      // Killed after the campaign: no finding, and nothing settled.
      writeFinding: () => Promise.reject(new Error('killed')),
      original: w.write,
      originalsSettled: w.settle,
      progress: (p) => void (last = p),
    });
    // One task in this thread, the rest in the worker: this thread is then free to write (a
    // first task that never came back would leave writes to the tasks' turns of the loop).
    io.fuzzExecutor = (n, t) => createFuzzPool(n, t, { soloMs: 0, tasksHereMax: 1 });

    const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const settings = {
      target,
      timeoutMs: 1000,
      sampleBytes: 512,
      callsMax: 64,
      seed: 5,
      seedText: '5',
    };
    const run = runFuzz(
      {
        settings,
        base,
        shard: { index: 0, count: 1 },
        runs,
        workers: 1,
        perGroup: 2,
        attemptsMax: 100,
        signal: stop.signal,
      },
      io,
    );
    await expect(run).rejects.toThrow('killed');
    // Written while the campaign went on, not at its end.
    expect(last?.cases ?? runs).toBeLessThan(runs);
    const [first] = said;
    expect(first?.original).toBeDefined();
    const at = join(out, 'findings', first?.signature ?? '?');
    expect(filesUnder(join(out, 'findings'))).toEqual(
      ['original.txt', 'original.vpt'].map((f) => join(first?.signature ?? '?', f)),
    );
    const decoded = decodeVpt(readFileSync(join(at, 'original.vpt')), 'original.vpt');
    if (!decoded.ok) throw new Error('original.vpt does not decode');
    expect(decoded.value.header.meta).toMatchObject({ seed: '5', case: first?.caseIndex });
    for (const name of ['original.vpt', 'original.txt']) {
      const r = await runCli(['replay', join(at, name), '--target', target, '--quiet']);
      expect(r.code, name).toBe(1);
      expect(r.out, name).toContain(`: ${first?.kind}: ${first?.fn} `);
    }
  });
});
