// test/pgrep.ts: a match, no match, and the failures that must not read as "no match".
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pgrep, stillThere } from './pgrep.js';

describe('pgrep for leak checks', () => {
  it('prints the pids that match, and nothing when none does', async () => {
    const mark = `${process.pid}.${Date.now() % 100_000}`;
    const sleeper = spawn('sleep', [`7${mark}`], { stdio: 'ignore' });
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      expect(pgrep(['-f', `sleep 7${mark}`])).toBe(`${sleeper.pid}\n`);
    } finally {
      sleeper.kill('SIGKILL');
    }
    await new Promise((r) => sleeper.once('exit', r));
    expect(pgrep(['-f', `sleep 7${mark}`])).toBe('');
  });

  it('throws when pgrep is missing or fails, instead of answering "none"', () => {
    expect(() => pgrep(['-f', 'x'], 'pgrep-not-installed')).toThrow(
      /^pgrep-not-installed -f x: spawnSync pgrep-not-installed ENOENT \(the leak check needs procps's pgrep\)$/,
    );
    expect(() => pgrep(['--no-such-option'])).toThrow(
      /^pgrep --no-such-option failed \(exit 2\): /,
    );
  });

  it('waits out a process dying, not one that lives on', async () => {
    const mark = `${process.pid}.${Date.now() % 100_000}`;
    const sleeper = spawn('sleep', [`8${mark}`], { stdio: 'ignore' });
    await new Promise((r) => sleeper.once('spawn', r));
    const look = (): string => pgrep(['-f', `sleep 8${mark}`]);
    // Alive for the whole wait: still there at its end.
    expect(await stillThere(look, 200)).toBe(`${sleeper.pid}\n`);
    sleeper.kill('SIGKILL');
    // Killed, not yet waited for: gone within the wait.
    expect(await stillThere(look)).toBe('');
  });
});
