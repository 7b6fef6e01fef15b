// --case N with --rounds (roundCase.ts), in this thread: a case of round 0 runs nothing and is
// the case without rounds; the earlier rounds not all run (a target that cannot start, a
// signal) give no case. That the case is the campaign's own, byte for byte: src/cli/fuzzCase.test.ts.
import { describe, expect, it } from 'vitest';
import { fuzzSettings } from '../../test/support/fuzzSettings.js';
import { provideSession } from '../replay/runTask.js';
import { factorySession } from '../replay/sessions.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { buildBase } from './base.js';
import { generateCase } from './caseGen.js';
import { InlineFuzzExecutor } from './executor.js';
import { roundCase } from './roundCase.js';
import { caseContext } from './run.js';

const settings = fuzzSettings('model');
const inline = () => new InlineFuzzExecutor();

describe('roundCase', () => {
  it('runs nothing for a case of round 0: the case without rounds', async () => {
    const base = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    let started = 0;
    const r = await roundCase(
      { settings, base, rounds: 10, workers: 1 },
      () => {
        started++;
        return inline();
      },
      9,
    );
    expect(started).toBe(0);
    const b = buildBase(base, settings.callsMax);
    const entries = b.entries;
    expect(r).toEqual({
      ok: true,
      trace: generateCase(caseContext(settings, entries), 9),
      ran: 0,
      kept: 0,
      baseEntries: entries.length,
      baseId: b.shared.id,
    });
  });

  it('gives no case when the earlier rounds do not all run', async () => {
    const target = 'library:round-case-test';
    const withdraw = provideSession(
      target,
      1000,
      factorySession(() => Promise.reject(new Error('no device')), 1000),
    );
    try {
      const s = { ...settings, target };
      const broken = await roundCase({ settings: s, base: [], rounds: 5, workers: 1 }, inline, 12);
      expect(broken).toMatchObject({ ok: false, stoppedBy: 'setup' });
      expect(broken.ok ? '' : broken.setupError).toContain('no device');
    } finally {
      withdraw();
    }
    const o = { settings, base: [], rounds: 5, workers: 1, signal: AbortSignal.abort() };
    expect(await roundCase(o, inline, 5)).toEqual({ ok: false, stoppedBy: 'signal', ran: 0 });
  });
});
