// `vpdma nightly` stopped by a signal (the real CLI): during the fuzz phase (what finished is
// reported, the next night resumes from the corpus) and once the night is done, while its
// reports are written (they finish, exit 130).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signalWhileWriting } from '../../test/support/release.js';
import { interruptCli, runCli as run } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-signal-'));

interface Report {
  fuzz: { cases: number };
  interrupted: boolean;
  [k: string]: unknown;
}
const report = (out: string): Report =>
  JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;

describe('vpdma nightly, signalled', { timeout: 300_000 }, () => {
  it('on SIGINT writes valid reports for what finished, and the next run resumes from the corpus', async () => {
    const out = join(dir, 'interrupted');
    const corpus = join(out, 'corpus');
    const keptSoFar = (): number => (existsSync(corpus) ? readdirSync(corpus).length : 0);
    // Once fuzzing has kept a few cases, after the corpus replay (not after a fixed delay, nor
    // a count of polls: 900 of them ran out at load 25); --time only ends a night never signalled.
    let reached = false;
    const {
      code,
      out: printed,
      err,
    } = await interruptCli(
      ['nightly', '--out', out, '--time', '600s', '--workers', '1', '--quiet'],
      async () => void (reached = await waitFor(() => keptSoFar() >= 4)),
    );
    expect(reached, 'four cases kept before the signal').toBe(true);
    expect(err).toContain('SIGINT');
    expect(code).toBe(130);
    expect(printed).toMatch(/^interrupted: the reports cover what finished/m);
    const rep = report(out);
    expect(rep.interrupted).toBe(true);
    expect(rep.fuzz.cases).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain(
      '<testcase classname="vpdma" name="interrupted">',
    );
    const kept = readdirSync(join(out, 'corpus'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((f) => !f.endsWith('.tmp'))).toBe(true);
    const again = await run(['nightly', '--out', out, '--runs', '20', '--workers', '1', '--quiet']);
    expect(again.code).toBe(0);
    const resumed = report(out) as Report & { fuzzDetail: { corpus: { base: number } } };
    expect(resumed.fuzzDetail.corpus.base).toBeGreaterThanOrEqual(21 + kept.length);
  });

  it('on SIGTERM while its reports are written finishes them, whole, and exits 130', async () => {
    const out = join(dir, 'signalled-writing');
    mkdirSync(out);
    // --json into a FIFO: the night holds there, at its last report, until the child heard
    // the signal.
    const json = join(dir, 'signalled-writing.json');
    const r = await signalWhileWriting(
      ['nightly', '--out', out, '--runs', '20', '--workers', '1', '--quiet', '--json', json],
      json,
      // report.html is written just before --json.
      async () => waitFor(() => existsSync(join(out, 'report.html'))),
    );
    // The night had ended: every report is whole and says so; the exit is the signal's.
    expect([r.code, r.signal]).toEqual([130, null]);
    const written = JSON.parse(r.text) as Report;
    expect(written).toMatchObject({ interrupted: false, fuzz: { cases: 20 } });
    expect(report(out)).toEqual(written);
    expect(readdirSync(out).filter((f) => !f.startsWith('.'))).toEqual(
      expect.arrayContaining(['report.json', 'junit.xml', 'results.sarif', 'report.html']),
    );
    expect(readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
