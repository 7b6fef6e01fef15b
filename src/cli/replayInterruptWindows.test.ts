// `vpdma replay` stopped by Ctrl-C (a real SIGINT to the built CLI) in the windows
// replayInterrupt.test.ts does not reach: while the pool drains (every task handed out, one
// still running), before a trace's first call (its target still starting), and (SIGTERM)
// while the reports are written.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { releaseOnceHeard, signalWhileWriting } from '../../test/support/release.js';
import { interruptCli } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';
import { stillThere } from '../../test/pgrep.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-windows-'));
/** The first 11 calls of a bundled capture, as lines (header first). */
const head = readFileSync('corpus/legacy-mapdma-flags.jsonl', 'utf8').split('\n').slice(0, 12);
const READ = '{"fn":"@read","args":{"va":"0xffffc00000000000","length":4}}';

interface Report {
  interrupted: boolean;
  summary: { traces: number; calls: number; interrupted?: number };
  traces: { trace: string; outcome: string; calls: number; interrupted?: boolean }[];
}

const envSet: string[] = [];
function setEnv(name: string, value: string): void {
  process.env[name] = value;
  envSet.push(name);
}
afterEach(() => {
  for (const name of envSet.splice(0)) delete process.env[name];
});

describe('vpdma replay, interrupted while the pool drains', () => {
  it('writes both reports, the finished trace whole and the running one part way, exit 130', async () => {
    const out = mkdtempSync(join(dir, 'drain-'));
    // Two tasks (each trace above its share of the bytes): a short trace (11 calls, under a
    // second at 60 ms a call) and a long one (311 calls, about 19 s). Once the short one is
    // done its worker finds no task left: only the long one runs.
    const short = join(out, 'short.jsonl');
    const long = join(out, 'long.jsonl');
    writeFileSync(short, `${head.join('\n')}\n`);
    writeFileSync(long, `${[...head, ...Array<string>(300).fill(READ)].join('\n')}\n`);
    const json = join(out, 'r.json');
    const junit = join(out, 'r.xml');
    // The long trace's target holds before its 13th call until the child has heard the
    // signal (the short one, 11 calls, never gets there): it cannot end before the signal.
    const hold = mkdtempSync(join(dir, 'hold-'));
    setEnv('SLOW_TARGET_HOLD', hold);
    setEnv('SLOW_TARGET_HOLD_FROM', '1');
    setEnv('SLOW_TARGET_HOLD_CALL', '12');
    let done = 0;
    let calls = 0;
    const { code, err } = await interruptCli(
      [
        'replay',
        short,
        long,
        '--target',
        'module:test/fixtures/slow-target.mjs',
        '--workers',
        '2',
        // Held, a call lasts until the signal: not a target-timeout (5 s by default).
        '--timeout',
        '150000',
        '--json-progress',
        '--json',
        json,
        '--junit',
        junit,
      ],
      // Signalled once the short trace is done and the long one is past its first 11 calls.
      async (stderr) =>
        waitFor(() => {
          for (const l of stderr().split('\n'))
            if (l.startsWith('{"progress"')) {
              const p = JSON.parse(l) as { done: number; calls: number };
              done = Math.max(done, p.done);
              calls = Math.max(calls, p.calls);
            }
          return done >= 1 && calls >= 11 + 12;
        }),
      false,
      { afterSignal: releaseOnceHeard(join(hold, 'release')) },
    );
    expect([done, calls >= 23]).toEqual([1, true]);
    expect(err).toContain('vpdma: SIGINT');
    expect(code).toBe(130);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.interrupted).toBe(true);
    const [s, l] = report.traces;
    expect(s).toMatchObject({ outcome: 'pass', calls: 11 });
    expect(s?.interrupted).toBeUndefined();
    expect(l).toMatchObject({ outcome: 'pass', interrupted: true });
    expect(l?.calls).toBeGreaterThanOrEqual(12);
    expect(l?.calls).toBeLessThan(311);
    expect(report.summary).toMatchObject({ traces: 2, interrupted: 1 });
    expect(report.summary.calls).toBe(11 + (l?.calls ?? 0));
    expect(readFileSync(junit, 'utf8')).toContain(`interrupted after ${l?.calls} calls`);
    // Nothing else in the output directory: no temporary file left half-written.
    expect(readdirSync(out).sort()).toEqual(['long.jsonl', 'r.json', 'r.xml', 'short.jsonl']);
  });
});

/** Those of `pids` still running the process target. */
function alive(pids: readonly string[]): string[] {
  return pids.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('slow-process-target');
    } catch {
      return false;
    }
  });
}

describe('vpdma replay, interrupted before the first call', () => {
  // A module target whose factory, and a process target whose hello, waits until the test
  // releases it, once the child has heard the signal: the start cannot end before the signal
  // (it took 1.5 s by the clock, which a loaded machine's signal could miss; --timeout 150000,
  // over the fixtures' 120 s bound on the hold: the wait must not be a timeout).
  const targets = [
    {
      name: 'a module target whose factory is slow',
      target: 'module:test/fixtures/slow-start-target.mjs',
      started: (out: string) => {
        setEnv('VPDMA_FIXTURE_STARTED', out);
        setEnv('VPDMA_FIXTURE_RELEASE', join(out, 'release'));
        return () => readdirSync(out).filter((f) => f.startsWith('started-'));
      },
    },
    {
      name: 'a process target slow to say hello',
      target: 'process:node test/fixtures/slow-process-target.mjs 0 1500',
      started: (out: string) => {
        const log = join(out, 'started.log');
        setEnv('STARTLOG', log);
        setEnv('RELEASE', join(out, 'release'));
        return () => {
          try {
            return readFileSync(log, 'utf8').split('\n').filter(Boolean);
          } catch {
            return [];
          }
        };
      },
    },
  ];

  it.each(targets)('$name: a one-line note, whole reports of no trace, exit 130', async (t) => {
    const out = mkdtempSync(join(dir, 'start-'));
    const started = t.started(out);
    const json = join(out, 'r.json');
    const junit = join(out, 'r.xml');
    const {
      code,
      out: stdout,
      err,
    } = await interruptCli(
      [
        'replay',
        'corpus/legacy-mapdma-flags.jsonl',
        '--target',
        t.target,
        '--timeout',
        '150000',
        '--quiet',
        '--json',
        json,
        '--junit',
        junit,
      ],
      // Signalled once the target's start is under way (it says so itself).
      async () => waitFor(() => started().length > 0),
      false,
      { afterSignal: releaseOnceHeard(join(out, 'release')) },
    );
    const pids = started();
    expect(pids).toHaveLength(1);
    expect(code).toBe(130);
    // One line says what happened: no stack trace, no error about the target.
    const lines = err.split('\n').filter((l) => l.trim() !== '');
    expect(lines.filter((l) => !/^vpdma replay: (seed=\S+ )?target=/.test(l))).toEqual([
      expect.stringMatching(/^vpdma: SIGINT: finishing up and writing reports/),
    ]);
    expect(stdout).toContain('interrupted: 1 of 1 trace not replayed');
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report).toMatchObject({ interrupted: true, traces: [] });
    expect(report.summary).toMatchObject({ traces: 0, calls: 0 });
    expect(readFileSync(junit, 'utf8')).toContain(
      '<error message="interrupted: 1 trace not replayed" type="interrupted"/>',
    );
    // Whole files only (written atomically), and no process target left behind.
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith('r.'))
        .sort(),
    ).toEqual(['r.json', 'r.xml']);
    expect(readdirSync(out).filter((f) => f.includes('.tmp') || f.startsWith('.'))).toEqual([]);
    expect(await stillThere(() => alive(t.target.startsWith('process:') ? pids : []))).toEqual([]);
  });
});

describe('vpdma replay, signalled while its reports are written', () => {
  it('finishes them, whole (the same request as a signal during the replay), exit 130', async () => {
    const out = mkdtempSync(join(dir, 'writing-'));
    // --json into a FIFO: the write holds there until the child has heard the signal (it had
    // let go of it before the reports: SIGTERM killed it).
    const json = join(out, 'r.json');
    const r = await signalWhileWriting(
      ['replay', 'corpus/events.jsonl', '--quiet', '--json', json],
      json,
      // The summary comes just before the reports are written.
      async (_err, stdout) => waitFor(() => stdout().includes('traces')),
    );
    expect([r.code, r.signal]).toEqual([130, null]);
    expect(r.err).toContain('vpdma: SIGTERM: finishing up and writing reports');
    // Every trace had finished: the report is whole, and says so.
    const report = JSON.parse(r.text) as Report;
    expect(report).toMatchObject({ interrupted: false, summary: { traces: 1 } });
    expect(readdirSync(out)).toEqual(['r.json']);
  });
});
