// Ctrl-C on `vpdma minimize` before any shorter trace was found to fail writes no "repro" (it
// would be the input itself, a 178 MB copy of a long capture once): it says so, exit 130.
// The built CLI against a target taking 60 ms a call (test/fixtures/slow-target.mjs), so the
// replays last.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interruptCli } from '../../test/support/runCli.js';
import { releaseOnceHeard } from '../../test/support/release.js';
import { waitFor } from '../../test/support/waitFor.js';

const root = resolve(import.meta.dirname, '../..');
const TARGET = `module:${join(root, 'test/fixtures/slow-target.mjs')}`;
// One worker; --timeout over the fixture's 120 s bound on a hold: a held call is no timeout.
const SLOW = ['--target', TARGET, '--workers', '1', '--timeout', '150000'];
const dir = mkdtempSync(join(tmpdir(), 'vpdma-minimize-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SET = (n: number): string =>
  `VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=${n})\n`;
// A recorded-mismatch at call `before` (the oracle says 0), with `after` calls after it: the
// first replay stops there, (before + 1) * 60 ms; the first candidate (the cut) takes as long.
const capture = (name: string, after: number, before = 30): string => {
  const p = join(dir, name);
  writeFileSync(
    p,
    // A seed in meta makes minimize print its seed line, the sign the first replay is done.
    '#! vpdma-trace v1 profile=docs\n#! meta {"seed":1}\n' +
      Array.from({ length: before }, (_, i) => SET(i)).join('') +
      'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0) -> 0x5\n' +
      Array.from({ length: after }, (_, i) => SET(i)).join(''),
  );
  return p;
};
const nothing = (trace: string): string =>
  `vpdma: interrupted before a shorter trace was found to fail: nothing written (${trace} is still the shortest repro)\n`;

describe('vpdma minimize interrupted before anything was accepted', () => {
  it('during the first candidate: writes nothing, says so, exit 130', async () => {
    const trace = capture('cand.txt', 30);
    const out = join(dir, 'cand.min.txt');
    // The first candidate's target holds at its first call until released, which is once the
    // child has heard the signal: the candidate (1.9 s) cannot be accepted before it, however
    // late a loaded machine delivers the signal.
    const hold = mkdtempSync(join(dir, 'hold-'));
    const r = await interruptCli(
      ['minimize', trace, ...SLOW, '--out', out],
      // The seed line comes once the first replay found the violation; held, the candidate runs.
      async (err) =>
        void (await waitFor(
          () => err().includes('draws nothing at random') && existsSync(join(hold, 'held')),
        )),
      false,
      { env: { SLOW_TARGET_HOLD: hold }, afterSignal: releaseOnceHeard(join(hold, 'release')) },
    );
    // Two targets: the first replay's and the held candidate's (none was made in between).
    expect(readFileSync(join(hold, 'starts'), 'utf8')).toBe('x\nx\n');
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain(nothing(trace));
    expect(r.out).toContain('recorded-mismatch in VideoPortGetBytesUsed at call 30');
    expect(r.out).not.toContain('wrote');
    expect(existsSync(out)).toBe(false);
  }, 240_000);

  it('during the first replay: stops it, writes nothing, exit 130', async () => {
    // The failure at call 180: the first replay takes 10.9 s.
    const trace = capture('first.txt', 0, 180);
    const out = join(dir, 'first.min.txt');
    // The calls the target answered (slow-target.mjs writes the count), not the wall time: the
    // start alone took longer than the replay at load 25.
    const answeredFile = join(dir, 'first.answered');
    const answered = (): number =>
      existsSync(answeredFile) ? Number(readFileSync(answeredFile, 'utf8')) || 0 : 0;
    // The first replay's target holds after its first call until the child has heard the
    // signal, so the replay (10.9 s) cannot end before it however late the signal lands.
    const hold = mkdtempSync(join(dir, 'hold-'));
    // Once the first replay has begun (its phase line, printed after the signal handler is in
    // place): a fixed wait lost the race to a loaded machine's start-up, and Node's default
    // SIGINT ended the process.
    const r = await interruptCli(
      ['minimize', trace, ...SLOW, '--out', out, '--json-progress'],
      // ... and the target has answered its first call: the check below then means something.
      async (err) =>
        void (await waitFor(() => err().includes('"phase":"replaying"') && answered() > 0)),
      false,
      {
        env: {
          SLOW_TARGET_CALLS_FILE: answeredFile,
          SLOW_TARGET_HOLD: hold,
          SLOW_TARGET_HOLD_FROM: '1',
          SLOW_TARGET_HOLD_CALL: '1',
        },
        afterSignal: releaseOnceHeard(join(hold, 'release')),
      },
    );
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain(nothing(trace));
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
    // The replay (181 calls, the failure at the last) did not run to its end first.
    expect(answered()).toBeGreaterThan(0);
    expect(answered()).toBeLessThan(181);
  }, 240_000);
});

describe('vpdma minimize interrupted while its target loads', () => {
  it('stops the load at once: writes nothing, says so, exit 130 (not 3 once --load-timeout passed)', async () => {
    const trace = capture('load.txt', 0);
    const out = join(dir, 'load.min.txt');
    // test/fixtures/held-load-target.mjs holds its top level (never released here): the load
    // check before the first replay lasts until the signal, or until --load-timeout (30 s by
    // default), which is what the signal used to wait for before a target crash (exit 3).
    const loading = mkdtempSync(join(dir, 'loading-'));
    const HELD = `module:${join(root, 'test/fixtures/held-load-target.mjs')}`;
    const r = await interruptCli(
      ['minimize', trace, '--target', HELD, '--out', out],
      async () => waitFor(() => readdirSync(loading).length > 0),
      false,
      {
        env: { VPDMA_FIXTURE_LOADING: loading, VPDMA_FIXTURE_RELEASE: join(loading, 'release') },
        signal: 'SIGTERM',
      },
    );
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain(nothing(trace));
    expect(r.err).not.toContain('did not finish loading');
    expect(existsSync(out)).toBe(false);
  });
});
