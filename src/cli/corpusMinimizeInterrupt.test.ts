// Ctrl-C or SIGTERM while a night minimizes a failing corpus trace stops it as `vpdma minimize`
// stops: while the calls up to the violation are read (the read ends at its next chunk) or
// before a shorter trace was found to fail, nothing is written for that trace, which keeps its
// `vpdma minimize` command, and the minimization says the signal stopped it (the night then
// writes its reports and exits 130). Not stopped, the same trace's repro is written.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemResult, ReplaySettings } from '../replay/protocol.js';
import { runReplayTask } from '../replay/runTask.js';
import { minimizeCorpusFailures, type CorpusMinimizeInput } from './corpusMinimize.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-corpus-minimize-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const trace = resolve(import.meta.dirname, '../../corpus/legacy-mapdma-flags.jsonl');
const settings: ReplaySettings = {
  target: 'mutant:mapdma-writes-length',
  paranoid: false,
  timeoutMs: 5000,
  sampleBytes: 512,
};

/** The night's replay of the corpus trace: it fails (the plan's one trace to minimize). */
let results: ItemResult[] = [];
beforeAll(async () => {
  results = await runReplayTask({ settings, items: [{ id: 0, label: trace, path: trace }] });
});

function input(
  out: string,
  signal: AbortSignal,
  log: string[],
  budgetMs?: number,
): CorpusMinimizeInput {
  return {
    results,
    minimal: new Set(),
    shard: { index: 0, count: 1 },
    settings,
    workers: 1,
    attemptsMax: 200,
    out,
    budgetMs,
    signal,
    progress: { mode: 'quiet', write: () => undefined },
    log: (t) => void log.push(t),
  };
}

describe('a night minimizing its failing corpus traces, interrupted', () => {
  it('while it reads the trace or tries its first candidates: writes nothing for it, says the signal stopped it', async () => {
    expect(results[0]?.result?.violations.length).toBeGreaterThan(0);
    const out = join(dir, 'stopped');
    const ac = new AbortController();
    const log: string[] = [];
    const running = minimizeCorpusFailures(input(out, ac.signal, log));
    // The read of the trace has begun (minimizeCorpusFailures ran up to its first await).
    ac.abort();
    const r = await running;
    expect(r.repros).toEqual([]);
    expect(r.minimizeStoppedBy).toBe('signal');
    expect(r.minimizeLeft).toBe(1);
    expect(existsSync(join(out, 'corpus-repros'))).toBe(false);
    // Not a trace that could not be minimized: one the signal left, keeping its command.
    expect(log.join('')).toBe('');
  });

  it('stopped while minimizing the last trace: writes it as it stands and says what stopped it', async () => {
    // 1 ms of --minimize-time: spent before the pool has replayed a candidate. The trace is
    // then written as it stands (as after a signal, once a shorter trace failed); being the
    // last one does not make it minimized.
    const out = join(dir, 'spent');
    const r = await minimizeCorpusFailures(input(out, new AbortController().signal, [], 1));
    expect(r.repros).toHaveLength(1);
    expect(r.repros[0]?.exhausted).toBe(true);
    expect(r.minimizeStoppedBy).toBe('time');
    // None left: the reports must not say the rest were not minimized.
    expect(r.minimizeLeft).toBe(0);
  });

  it('not interrupted, writes the same trace repro', async () => {
    const out = join(dir, 'whole');
    const log: string[] = [];
    const r = await minimizeCorpusFailures(input(out, new AbortController().signal, log));
    expect(r.minimizeStoppedBy).toBeUndefined();
    expect(r.minimizeLeft).toBeUndefined();
    expect(r.repros).toHaveLength(1);
    expect(r.repros[0]?.reproduced).toBe(true);
    expect(existsSync(join(out, r.repros[0]?.trace ?? 'none'))).toBe(true);
    expect(log.join('')).toMatch(/corpus repro .*legacy-mapdma-flags\.jsonl/);
  });
});
