// The library's fuzzTarget against targets built in code, and against the command: the same
// seed and runs give the same findings, repro for repro. The command's workers run dist/:
// `npm run build` first.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMutantTarget, findMutant } from '../replay/mutants.js';
import { createModelTargetSync } from '../replay/modelTarget.js';
import type { Target, TargetFactory, TouchedRanges } from '../replay/target.js';
import { ROUND_CASES, ROUNDS_MAX } from '../fuzz/rounds.js';
import { contentName } from '../store/corpus.js';
import { printText } from '../trace/text.js';
import type { Trace } from '../trace/trace.js';
import { encodeVpt } from '../trace/vpt.js';
import { fuzzTarget } from './fuzzTarget.js';
import { NO_STATE_WARNING } from './targetWarnings.js';
import { runCli } from '../../test/support/runCli.js';

function mutant(name: string): TargetFactory {
  const m = findMutant(name);
  if (m === undefined) throw new Error(name);
  return (o) => Promise.resolve(createMutantTarget(m, o));
}

const caseIndexOf = (t: Trace): number => Number(t.header.meta['case']);

interface ReportFinding {
  signature: string;
  kind: string;
  fn: string;
  caseIndex: number;
  reproCalls: number;
  files: { txt: string };
}

describe('fuzzTarget', () => {
  it('finds what `vpdma fuzz` finds with the same seed and runs', async () => {
    const name = 'unmapdma-tears-down-view';
    const r = await fuzzTarget(mutant(name), { seed: 7, runs: 150 });
    expect(r.setupError).toBeUndefined();
    expect(r.cases).toBe(150);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      expect(f.reproduced).toBe('3/3');
      expect(f.minimized).toBe(true);
      expect(f.repro.calls.length).toBeLessThan(f.originalCalls + 1);
    }

    const out = await mkdtemp(join(tmpdir(), 'vpdma-fuzz-target-'));
    const cli = await runCli([
      'fuzz',
      '--target',
      `mutant:${name}`,
      '--seed',
      '7',
      '--runs',
      '150',
      '--workers',
      '2',
      '--out',
      out,
      '--json',
      '-',
      '--quiet',
    ]);
    await rm(out, { recursive: true, force: true });
    expect(cli.code).toBe(1);
    const report = JSON.parse(cli.out) as {
      findings: ReportFinding[];
      coverage: number;
      cases: number;
    };
    const mine = r.findings.map((f) => [
      f.signature,
      f.kind,
      f.fn,
      f.caseIndex,
      f.repro.calls.length,
    ]);
    const theirs = report.findings.map((f) => [
      f.signature,
      f.kind,
      f.fn,
      f.caseIndex,
      f.reproCalls,
    ]);
    expect(mine).toEqual(theirs);
    expect(r.coverage).toBe(report.coverage);
    expect(printText(r.findings[0]!.repro)).toContain('VideoPortUnmapDmaMemory');
  });

  it('finds nothing in the model, and keeps the cases that reach new coverage', async () => {
    const r = await fuzzTarget((o) => Promise.resolve(createModelTargetSync(o)), { runs: 100 });
    expect(r.findings).toEqual([]);
    expect(r.unconfirmed).toBe(0);
    expect(r.kept.length).toBeGreaterThan(0);
    expect(r.calls).toBeGreaterThan(r.cases);
    expect(r.seed).toBe('20261128');
  });

  it('never calls the functions it is told the target lacks', async () => {
    const lacking = ['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory'];
    const partial: TargetFactory = (o) => {
      const t = createModelTargetSync(o);
      return Promise.resolve({
        ...t,
        call: (c) => {
          if (lacking.includes(c.fn)) throw new Error(`not implemented: ${c.fn}`);
          return t.call(c);
        },
      });
    };
    const without = await fuzzTarget(partial, { runs: 100 });
    expect(without.findings.map((f) => f.fn).sort()).toEqual(lacking);
    const r = await fuzzTarget(partial, { runs: 100, disabled: lacking });
    expect(r.findings).toEqual([]);
    await expect(fuzzTarget(partial, { runs: 1, disabled: ['Nope'] })).rejects.toThrow(/Nope/);
    expect(r.warnings).toEqual([]);
    // What the command warns about on stderr, the library returns (and prints nothing).
    const noMapDma = await fuzzTarget(partial, { runs: 5, disabled: [...lacking, 'MapDmaMemory'] });
    expect(noMapDma.warnings).toEqual([
      'disabled: VideoPortMapDmaMemory is never called, so the fuzzer does not check the MapDmaMemory property (NULL returned, nothing changed)',
    ]);
    expect(noMapDma.cases).toBe(5);
  });

  it('keeps every violation at the failing call, the one it is named after first', async () => {
    // The NT4-compat bug of a C port: *Length and *VirtualAddress both cleared at once.
    const both: TargetFactory = (o) => {
      const t = createModelTargetSync(o);
      return Promise.resolve({
        ...t,
        call: (c) => {
          const r = t.call(c);
          if (c.fn !== 'VideoPortMapDmaMemory' || c.args['virtualAddress'] === 0n) return r;
          return { ...r, out: { ...r.out, length: 0, virtualAddress: 0n } };
        },
      });
    };
    const r = await fuzzTarget(both, { runs: 40 });
    const f = r.findings.find((x) => x.kind === 'map-dma-wrote-out-param');
    expect(f?.reproduced).toBe('3/3');
    expect(f?.violationsAtCall.map((v) => [v.kind, v.field])).toEqual([
      ['map-dma-wrote-out-param', 'out.length'],
      ['map-dma-wrote-out-param', 'out.virtualAddress'],
    ]);
    expect(f?.violationsAtCall[0]?.message).toBe(f?.message);
  });

  it('with rounds, mutates in later rounds the cases kept in earlier ones', async () => {
    const model: TargetFactory = (o) => Promise.resolve(createModelTargetSync(o));
    const size = 15;
    const [runs, seed] = [45, 7];
    const r = await fuzzTarget(model, { seed, runs, rounds: size });
    const plain = await fuzzTarget(model, { seed, runs });
    expect([r.cases, r.rounds, plain.rounds]).toEqual([runs, size, undefined]);
    // Kept cases whose parent (meta.parent, a corpus file name) this run kept: each is from a
    // round after its parent's; without rounds a case mutates only the starting corpus.
    const fromRun = (kept: readonly Trace[]) => {
      const caseOf = new Map(kept.map((t) => [contentName(encodeVpt(t)), caseIndexOf(t)]));
      return kept.flatMap((t) => {
        const name = t.header.meta['parent'];
        const parent = typeof name === 'string' ? caseOf.get(name) : undefined;
        return parent === undefined ? [] : [[caseIndexOf(t), parent] as const];
      });
    };
    const pairs = fromRun(r.kept);
    expect(pairs.length).toBeGreaterThan(0);
    for (const [i, parent] of pairs)
      expect(Math.floor(i / size)).toBeGreaterThan(Math.floor(parent / size));
    expect(fromRun(plain.kept)).toEqual([]);
    // Round 0 mutates the starting corpus alone: the same cases kept with or without rounds.
    const first = (kept: readonly Trace[]) => kept.filter((t) => caseIndexOf(t) < size);
    expect(first(r.kept)).toEqual(first(plain.kept));
    const whole = await fuzzTarget(model, { seed, runs: 5, rounds: true });
    expect(whole.rounds).toBe(ROUND_CASES);
  });

  it('says so when the target cannot be started at all', async () => {
    const r = await fuzzTarget(() => Promise.reject(new Error('no device')), { runs: 20 });
    expect(r.setupError).toContain('no device');
    expect(r.findings).toEqual([]);
  });

  it('refuses what the command refuses: a bad seed, two budgets, bad numbers and names', async () => {
    const model: TargetFactory = (o) => Promise.resolve(createModelTargetSync(o));
    await expect(fuzzTarget(model, { seed: 'not a seed' })).rejects.toThrow(/seed/);
    await expect(fuzzTarget(model, { runs: 1, timeMs: 1 })).rejects.toThrow(/one budget/);
    await expect(fuzzTarget(model, { runs: Number.NaN })).rejects.toThrow(/runs/);
    await expect(fuzzTarget(model, { runs: 2.5 })).rejects.toThrow(/runs/);
    await expect(fuzzTarget(model, { callsMax: -1 })).rejects.toThrow(/callsMax/);
    await expect(fuzzTarget(model, { reprosPerKind: 0 })).rejects.toThrow(/reprosPerKind/);
    // The command's bounds (fuzz/fuzzDefaults.ts), not just 'a whole number'.
    await expect(fuzzTarget(model, { attemptsMax: 10_000_001 })).rejects.toThrow(
      /^attemptsMax: expected a whole number from 1 to 10000000, got 10000001$/,
    );
    await expect(fuzzTarget(model, { reprosPerKind: 1001 })).rejects.toThrow(/to 1000,/);
    await expect(fuzzTarget(model, { timeMs: 0 })).rejects.toThrow(/timeMs/);
    for (const rounds of [0, 2.5, ROUNDS_MAX + 1])
      await expect(fuzzTarget(model, { rounds })).rejects.toThrow(
        new RangeError(`rounds: expected a whole number from 1 to ${ROUNDS_MAX}, got ${rounds}`),
      );
    await expect(fuzzTarget(model, { profile: 'bogus' as never })).rejects.toThrow(TypeError);
    await expect(fuzzTarget(model, { disabled: ['@write'] })).rejects.toThrow(/event/);
    await expect(fuzzTarget(model, { disabled: [','] })).rejects.toThrow(
      /^disabled: expected function names/,
    );
    // The command's spellings: the VideoPort prefix may be left out.
    const short = await fuzzTarget(model, { runs: 20, disabled: ['GetMdl'] });
    expect(short.findings).toEqual([]);
  });

  it('reports a close() that fails as a warning, a value, and changes nothing else', async () => {
    const closing =
      (close: () => void | Promise<void>): TargetFactory =>
      (o) =>
        Promise.resolve({ ...createModelTargetSync(o), close });
    const ok = await fuzzTarget(
      closing(() => undefined),
      { runs: 20 },
    );
    expect(ok.warnings).toEqual([]);
    const threw = await fuzzTarget(
      closing(() => {
        throw new TypeError('handle gone');
      }),
      { runs: 20 },
    );
    expect(threw.warnings).toEqual([
      'close() threw TypeError: handle gone (after 20 cases; ignored: results unchanged)',
    ]);
    expect({ ...threw, warnings: [] }).toEqual(ok);
    const hung = await fuzzTarget(
      closing(() => new Promise(() => {})),
      { runs: 2, timeoutMs: 20 },
    );
    expect(hung.warnings).toEqual([
      'close(): no answer within 20 ms (after 2 cases; ignored: results unchanged)',
    ]);
  });

  it('returns what the target leaves unchecked in warnings, as the command warns', async () => {
    const model: TargetFactory = (o) => Promise.resolve(createModelTargetSync(o));
    const stateless: TargetFactory = (o) => {
      const t: Target = { ...createModelTargetSync(o) };
      delete t.state;
      return Promise.resolve(t);
    };
    // Every touched() range moved 16 TiB up, where the target returned nothing.
    const stray: TargetFactory = (o) => {
      const t = createModelTargetSync(o);
      const touched = (): TouchedRanges => {
        const got = t.touched?.();
        return Array.isArray(got) ? got : [];
      };
      const up = (): TouchedRanges =>
        touched().map((x) => ({ address: x.address + (1n << 44n), length: x.length }));
      return Promise.resolve({ ...t, touched: up });
    };
    const clean = await fuzzTarget(model, { runs: 20 });
    expect(clean.warnings).toEqual([]);
    const none = await fuzzTarget(stateless, { runs: 20 });
    expect(none.warnings).toEqual([NO_STATE_WARNING]);
    expect({ ...none, warnings: [] }).toEqual(clean);
    const moved = await fuzzTarget(stray, { runs: 20 });
    expect(moved.warnings).toEqual([
      expect.stringMatching(
        /^touched\(\) named memory the target never returned, outside user memory \(case (\d+)'s call \d+ named 0x[0-9a-f]+\+0x[0-9a-f]+, in \d+ cases; `vpdma fuzz --case \1` writes that case\): /,
      ),
    ]);
  });

  it('hears an abort from a timer while a synchronous target runs', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const model: TargetFactory = (o) => Promise.resolve(createModelTargetSync(o));
    const r = await fuzzTarget(model, { runs: 1_000_000, signal: stop.signal });
    expect(r.stoppedBy).toBe('signal');
    expect(r.cases).toBeLessThan(1_000_000);
  });
});
