// Faults during a campaign (dist/ must be built): a target that hangs inside a call (its
// worker is terminated) or throws is a finding, and the campaign goes on to its last case;
// an interrupted campaign keeps what it completed and a later run starts from its corpus.
import { describe, expect, it } from 'vitest';
import { fuzzIo } from '../cli/fuzzIo.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import type { Trace } from '../trace/trace.js';
import { buildBase, type NamedTrace } from './base.js';
import type { CampaignResult } from './campaign.js';
import { campaignOn } from '../../test/support/campaignOn.js';
import { createFuzzPool } from './executor.js';
import { reportFindingOf } from './outputs.js';
import type { FuzzSettings } from './protocol.js';
import { runFuzz } from './run.js';

const settings = (target: string, seed = 77): FuzzSettings => ({
  target,
  timeoutMs: 200,
  sampleBytes: 512,
  callsMax: 48,
  seed,
  seedText: String(seed),
});

async function campaign(target: string, runs: number, seed?: number): Promise<CampaignResult> {
  const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
  return campaignOn(createFuzzPool(2), buildBase(named, 48), settings(target, seed), { runs });
}

describe('faults during fuzzing are findings, not the end of the campaign', () => {
  it('a target stuck in a call: its worker is terminated, the case is a target-timeout', async () => {
    // Each hung case costs the timeout, the grace and a new worker: 8 cases (seed 77: 4 hang,
    // the first at case 0, and 4 finish between and after them) show what 40 did.
    const runs = 8;
    const r = await campaign('module:test/fixtures/spin-on-read-state.mjs', runs);
    expect(r.cases).toBe(runs);
    const hung = r.failing.filter((f) => f.outcome === 'timeout');
    expect(hung.length).toBeGreaterThan(0);
    expect(hung[0]?.violations[0]).toMatchObject({
      kind: 'target-timeout',
      fn: 'VideoPortReadStateEvent',
    });
    // Cases after the first hang ran on a new worker, and not every one hung.
    expect(hung[0]?.index).toBeLessThan(runs - 1);
    expect(r.failing.length).toBeLessThan(runs);
  });

  it('a target that kills its worker thread: target-crashed at that call, every later case still runs', async () => {
    process.env['VPDMA_FIXTURE_DEATH'] = 'exit';
    try {
      // Nearly every case calls MapDmaMemory, and each death costs a new worker: 8 cases
      // (seed 78 on the 23-trace corpus: 7 die, case 0 first, and case 5 finishes between
      // them; seed 77's first 12 all die) show what 40 did.
      const runs = 8;
      const r = await campaign('module:test/fixtures/dying-target.mjs', runs, 78);
      expect(r.cases).toBe(runs);
      const crashed = r.failing.filter((f) => f.violations[0]?.kind === 'target-crashed');
      expect(crashed.length).toBeGreaterThan(0);
      expect(crashed[0]?.violations[0]).toMatchObject({ fn: 'VideoPortMapDmaMemory' });
      expect(crashed[0]?.violations[0]?.message).toContain('worker exited with code: 7');
      expect(crashed[0]?.index).toBeLessThan(runs - 1);
      expect(r.failing.length).toBeLessThan(runs);
    } finally {
      delete process.env['VPDMA_FIXTURE_DEATH'];
    }
  });

  /** A campaign against test/fixtures/failing-factory.mjs failing every start the `how` way. */
  async function failingFactory(how: string, runs: number): Promise<CampaignResult> {
    process.env['VPDMA_FIXTURE_FACTORY'] = how;
    process.env['VPDMA_FIXTURE_FACTORY_ALWAYS'] = '1';
    try {
      return await campaign('module:test/fixtures/failing-factory.mjs', runs);
    } finally {
      delete process.env['VPDMA_FIXTURE_FACTORY'];
      delete process.env['VPDMA_FIXTURE_FACTORY_ALWAYS'];
    }
  }

  it('a target whose factory throws: each case is target-crashed at (start), and the campaign stops as one that cannot be set up', async () => {
    const r = await failingFactory('throw', 400);
    // Eight failed starts from the first case on end it, instead of a failed start for each of
    // 400 cases (or of a 30-minute budget). The cases already out are not counted: the count
    // must not depend on how many were in flight.
    expect(r.cases).toBe(8);
    expect(r.failing).toHaveLength(8);
    expect(r.stoppedBy).toBe('setup');
    expect(r.setupError).toMatch(
      /^the target could not start: the factory threw Error: failing-factory.*\(in each of the first 8 cases\)$/,
    );
    expect(r.failing.length).toBeGreaterThan(0);
    for (const f of r.failing) {
      expect(f.outcome).toBe('crash');
      expect(f.violations[0]).toMatchObject({ kind: 'target-crashed', fn: '(start)' });
      expect(f.violations[0]?.message).toContain('the factory threw Error: failing-factory');
    }
  });

  it('a target whose factory never returns: each case is a target-timeout at (start), its worker terminated', async () => {
    // Only the watchdog stops a factory in a synchronous loop; 6 cases keep this short (each
    // costs the timeout, the grace and a new worker).
    const r = await failingFactory('spin', 6);
    expect(r.cases).toBe(6);
    expect(r.failing).toHaveLength(6);
    for (const f of r.failing) {
      expect(f.outcome).toBe('timeout');
      expect(f.violations[0]).toMatchObject({ kind: 'target-timeout', fn: '(start)' });
      expect(f.violations[0]?.message).toBe(
        'the target could not start: the factory did not return within 200 ms; its worker was terminated',
      );
    }
  });

  it('a target that throws: target-crashed, and every later case still runs', async () => {
    // Seed 77 crashes it first at case 169 (on the 23-trace corpus; case 35 on the 21-trace
    // one): 210 cases leave 40 and more after a crash to run, as 600 did (with its bound of 560).
    const runs = 210;
    const r = await campaign('mutant:crash-on-double-free-pool', runs);
    expect(r.cases).toBe(runs);
    const crashed = r.failing.filter((f) => f.violations[0]?.kind === 'target-crashed');
    expect(crashed.length).toBeGreaterThan(0);
    expect(crashed[0]?.index).toBeLessThan(runs - 40);
  });
});

describe('a corpus that cannot be written to', () => {
  it('loses the entries it cannot write, not the run: one warning and a count', async () => {
    const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const s = settings('model');
    const warnings: string[] = [];
    let writes = 0;
    const io = fuzzIo({
      // Every other write fails, as on a disk that is full now and then.
      keep: () =>
        ++writes % 2 === 0
          ? Promise.reject(new Error('ENOSPC: no space left on device'))
          : Promise.resolve(`kept-${writes}`),
      writeFinding: (f) => Promise.resolve(reportFindingOf(f, s, { jsonl: '', txt: '', vpt: '' })),
      warn: (m) => warnings.push(m),
    });
    const r = await runFuzz(
      {
        settings: s,
        base: bundled,
        shard: { index: 0, count: 1 },
        runs: 60,
        workers: 2,
        perGroup: 1,
        attemptsMax: 100,
      },
      io,
    );
    expect(r.campaign.cases).toBe(60);
    expect(writes).toBeGreaterThan(3);
    expect(r.keptFiles).toHaveLength(Math.ceil(writes / 2));
    expect(warnings[0]).toMatch(/^case \d+ not kept in the corpus: ENOSPC/);
    expect(warnings[1]).toBe(
      `${Math.floor(writes / 2)} new cases in all could not be kept in the corpus`,
    );
    expect(warnings).toHaveLength(2);
  });
});

describe('interrupting and resuming', () => {
  it('keeps the completed prefix, and the next run starts from the kept cases', async () => {
    const bundled = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const kept: NamedTrace[] = [];
    const stop = new AbortController();
    let progress = 0;
    const s = settings('model');
    const io = fuzzIo({
      keep: (t: Trace) => {
        const name = `kept-${kept.length}`;
        kept.push({ name, trace: t });
        return Promise.resolve(name);
      },
      writeFinding: (f) => Promise.resolve(reportFindingOf(f, s, { jsonl: '', txt: '', vpt: '' })),
      progress: () => {
        if (++progress === 3) stop.abort();
      },
    });
    const options = {
      settings: s,
      shard: { index: 0, count: 1 },
      runs: 100_000,
      workers: 2,
      perGroup: 1,
      attemptsMax: 100,
    };
    const first = await runFuzz({ ...options, base: bundled, signal: stop.signal }, io);
    expect(first.campaign.stoppedBy).toBe('signal');
    expect(first.campaign.cases).toBeGreaterThan(0);
    expect(first.campaign.cases).toBeLessThan(100_000);
    expect(first.campaign.runsEquivalent).toBe(first.campaign.cases);
    expect(first.keptFiles.length).toBe(kept.length);
    expect(kept.length).toBeGreaterThan(0);
    const again = await runFuzz({ ...options, base: [...bundled, ...kept], runs: 8 }, io);
    expect(again.baseSize).toBe(bundled.length + first.keptFiles.length);
    expect(again.campaign.cases).toBe(8);
  });
});
