// A process: SPEC naming a program that is not there, or not executable, is refused before any
// child starts (exit 2, as a missing module:); anything the shell must read is left to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processCommandFailure } from './processCommand.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-process-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'target.py'), '#!/usr/bin/env python3\n', { mode: 0o755 });
writeFileSync(join(dir, 'plain.py'), 'print(1)\n', { mode: 0o644 });
writeFileSync(join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });

const check = (command: string): string | undefined => processCommandFailure(command, dir, dir);

describe('processCommandFailure', () => {
  it('passes a program that is there and runnable, by path or on PATH, after assignments', () => {
    for (const ok of ['./target.py', 'MODE=slow ./target.py --x 1', 'tool', `${dir}/tool`])
      expect(check(ok), ok).toBeUndefined();
  });

  it('names a missing program, one not executable, and one not on PATH, in one line', () => {
    expect(check('MODE=x ./nope.py')).toBe(
      `process:MODE=x ./nope.py: ./nope.py does not exist (looked for ${join(dir, 'nope.py')})`,
    );
    expect(check('./plain.py')).toBe(
      'process:./plain.py: ./plain.py is not executable (chmod +x it, or name its interpreter: process:python3 ./plain.py)',
    );
    expect(check('no-such-vpdma-tool --flag')).toBe(
      'process:no-such-vpdma-tool --flag: no-such-vpdma-tool: command not found on PATH',
    );
    expect(check('.')).toBeUndefined(); // a builtin: the shell's business
  });

  it('leaves to the shell what only the shell can read (quotes, $, redirections, lists)', () => {
    for (const shell of ['"./nope"', '$HOME/nope', './nope 2>&1', 'cd x && ./nope', 'exec ./nope'])
      expect(check(shell), shell).toBeUndefined();
  });
});
