// Lock files around a run's --history and --out: one run at a time, a left-over lock taken
// over, and two nightlies sharing a history no longer losing one's findings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from './context.js';
import { interruptCli, runCli } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';
import { REPEAT_MS } from './interrupt.js';
import { OUT_LOCK, RunLocks, withRunLocks } from './runLock.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-run-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = (): void => undefined;

/** A pid that ran on this machine and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

const holder = (pid: number): string =>
  `${JSON.stringify({ pid, host: hostname(), since: '2026-12-06T08:00:00.000Z' })}\n`;

describe('RunLocks', () => {
  it('takes a free lock, refuses a held one naming its holder, and releases it', async () => {
    const path = join(dir, 'a', 'h.json.lock');
    const first = new RunLocks();
    await first.take(path, '--history h.json', quiet);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    const second = new RunLocks();
    const refused = await second.take(path, '--history h.json', quiet).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toBe(
      `--history h.json is in use by another vpdma run (pid ${process.pid} on ${hostname()}, since ${(JSON.parse(readFileSync(path, 'utf8')) as { since: string }).since}): runs sharing it must run one after another; if none is running, remove ${path}`,
    );
    await first.releaseAll();
    expect(existsSync(path)).toBe(false);
    await second.take(path, '--history h.json', quiet);
    await second.releaseAll();
  });

  it("once --out is held, removes a killed run's temporary files there, and only those", async () => {
    // What a run SIGKILLed mid-write leaves (AtomicWriter's .NAME.PID.N.tmp of a dead pid,
    // written before this run took the lock) beside its reports, in findings/ and corpus-repros/.
    const out = join(dir, 'temps');
    const pid = deadPid();
    const stale = [
      `.report.json.${pid}.0.tmp`,
      `.results.sarif.${pid}.1.tmp`,
      `findings/k/F/0000000a/.repro.jsonl.${pid}.2.tmp`,
      `corpus-repros/k/F/.repro.vpt.${pid}.3.tmp`,
    ];
    const kept = [
      `.junit.xml.${process.ppid}.4.tmp`, // a live process's
      `.report.html.${pid}.5.tmp`, // written after the lock was taken
      `corpus/.0123.vpt.${pid}.6.tmp`, // the corpus's: it sweeps its own (other runs share it)
      'notes.tmp',
      `.report.json.${pid}.tmp`, // not the writer's pattern
      `findings/k/F/0000000a/repro.jsonl`,
    ];
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const f of [...stale, ...kept]) {
      mkdirSync(join(out, f, '..'), { recursive: true });
      writeFileSync(join(out, f), 'x');
      utimesSync(join(out, f), hourAgo, hourAgo);
    }
    const soon = new Date(Date.now() + 60_000);
    utimesSync(join(out, `.report.html.${pid}.5.tmp`), soon, soon);
    const notes: string[] = [];
    await withRunLocks((locks) => locks.out(out, (l) => notes.push(l)));
    expect(notes).toEqual([
      `vpdma: --out ${out}: removed 4 temporary files of a run killed while writing there\n`,
    ]);
    expect(stale.filter((f) => existsSync(join(out, f)))).toEqual([]);
    expect(kept.filter((f) => !existsSync(join(out, f)))).toEqual([]);
    // Nothing left to remove: nothing said.
    notes.length = 0;
    await withRunLocks((locks) => locks.out(out, (l) => notes.push(l)));
    expect(notes).toEqual([]);
  });

  it('takes over the lock of a process no longer running, and says so', async () => {
    const path = join(dir, 'stale.lock');
    const pid = deadPid();
    writeFileSync(path, holder(pid));
    const notes: string[] = [];
    await withRunLocks(async (locks) => {
      await locks.take(path, '--out o', (l) => notes.push(l));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    });
    expect(notes).toEqual([
      `vpdma: --out o: taking over the lock ${path} of pid ${pid}, which is no longer running\n`,
    ]);
    expect(existsSync(path)).toBe(false);
  });

  it("another machine's lock is held while touched, and taken over once untouched for 5 minutes", async () => {
    const path = join(dir, 'far.lock');
    writeFileSync(path, holder(1).replace(hostname(), 'ci-runner-7'));
    await expect(new RunLocks().take(path, '--out o', quiet)).rejects.toThrow(
      'is in use by another vpdma run (pid 1 on ci-runner-7, since',
    );
    const old = new Date(Date.now() - 6 * 60_000);
    utimesSync(path, old, old);
    const notes: string[] = [];
    await withRunLocks((locks) => locks.take(path, '--out o', (l) => notes.push(l)));
    expect(notes).toEqual([
      `vpdma: --out o: taking over the lock ${path} of pid 1 on ci-runner-7, untouched for over 5 minutes\n`,
    ]);
  });

  it('an unreadable lock is held while fresh (its writer may be writing it)', async () => {
    const path = join(dir, 'empty.lock');
    writeFileSync(path, '');
    await expect(new RunLocks().take(path, '--out o', quiet)).rejects.toThrow(
      `--out o is in use by another vpdma run: runs sharing it must run one after another; if none is running, remove ${path}`,
    );
  });

  it('releases only its own lock: one removed and taken by another run stays', async () => {
    const path = join(dir, 'taken.lock');
    const locks = new RunLocks();
    await locks.take(path, '--out o', quiet);
    const other = holder(process.pid).replace('08:00', '09:00');
    writeFileSync(path, other);
    await locks.releaseAll();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });
});

describe('nightly and merge hold their --history and --out', () => {
  /** The --out of the night that ran. */
  let ran = '';
  const night = (out: string, history: string, seed: string): string[] => [
    'nightly',
    '--target',
    'mutant:mapdma-writes-length',
    '--seed',
    seed,
    '--runs',
    '30',
    '--workers',
    '1',
    '--out',
    join(dir, out),
    '--history',
    history,
    '--quiet',
  ];

  it('of two nights started together on one history, one runs and the other is refused untouched', async () => {
    const history = join(dir, 'shared.json');
    const [a, b] = await Promise.all([
      runCli(night('night-a', history, '1')),
      runCli(night('night-b', history, '2')),
    ]);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([1, 2]);
    const refused = a.code === 2 ? a : b;
    ran = join(dir, a.code === 2 ? 'night-b' : 'night-a');
    expect(refused.err).toContain(`--history ${history} is in use by another vpdma run (pid`);
    // The refused night made no directory and left no lock; the other's findings are all there.
    expect(existsSync(join(dir, a.code === 2 ? 'night-a' : 'night-b'))).toBe(false);
    expect(existsSync(`${history}.lock`)).toBe(false);
    expect(existsSync(join(ran, OUT_LOCK))).toBe(false);
    expect(readFileSync(history, 'utf8')).toContain('map-dma-wrote-out-param');
  }, 120_000);

  it('a night whose --out another run holds is refused, and its --history lock is let go', async () => {
    const out = join(dir, 'held-out');
    const history = join(dir, 'h2.json');
    await withRunLocks(async (locks) => {
      await locks.out(out, quiet);
      const r = await runCli(night('held-out', history, '3'));
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--out ${out} is in use by another vpdma run (pid ${process.pid}`);
    });
    expect(existsSync(`${history}.lock`)).toBe(false);
    expect(existsSync(history)).toBe(false);
  }, 60_000);

  it('merge refuses a --history another run holds', async () => {
    const history = join(dir, 'h3.json');
    await withRunLocks(async (locks) => {
      await locks.history(history, quiet);
      const r = await runCli(['merge', ran, '--out', join(dir, 'merged'), '--history', history]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--history ${history} is in use by another vpdma run`);
    });
  });
});

describe('a night quit at once by a second signal', () => {
  it('leaves no lock file behind (process.exit removes them)', async () => {
    const w = mkdtempSync(join(dir, 'quit-'));
    const out = join(w, 'out');
    const history = join(w, 'h.json');
    // The corpus replay's first target holds at its first call (never released): the night,
    // stopping, waits for that call (--timeout 150000), and only a second signal ends it.
    const hold = join(w, 'hold');
    mkdirSync(hold);
    const r = await interruptCli(
      [
        ...['nightly', '--target', `module:${join(root, 'test/fixtures/slow-target.mjs')}`],
        ...['--runs', '5', '--workers', '1', '--timeout', '150000', '--quiet'],
        ...['--out', out, '--history', history],
      ],
      async () => waitFor(() => existsSync(join(hold, 'held'))),
      false,
      {
        signal: 'SIGTERM',
        env: { SLOW_TARGET_HOLD: hold, SLOW_TARGET_HOLD_FROM: '1' },
        // Past interrupt.ts's REPEAT_MS from when the night heard the first: not a double tap.
        afterSignal: async (stderr, again) => {
          await waitFor(() => stderr().includes('vpdma: SIGTERM: '));
          await new Promise((done) => setTimeout(done, REPEAT_MS + 200));
          again();
        },
      },
    );
    expect([r.code, r.signal]).toEqual([130, null]);
    expect([existsSync(`${history}.lock`), existsSync(join(out, OUT_LOCK))]).toEqual([
      false,
      false,
    ]);
  });
});
