// finding.json's commandAbsolute: the repro and a relative target path made absolute against
// the run's cwd, the rest of the command as it was; nothing for a command it cannot read.
import { describe, expect, it } from 'vitest';
import { absoluteCommand, absoluteTarget } from './absoluteCommand.js';

const cwd = '/home/me/src';

describe('absoluteTarget', () => {
  it('makes a relative module: path absolute, and leaves an absolute one and the others', () => {
    expect(absoluteTarget('module:./t.mjs', cwd)).toBe('module:/home/me/src/t.mjs');
    expect(absoluteTarget('module:../t.mjs', cwd)).toBe('module:/home/me/t.mjs');
    expect(absoluteTarget('module:/opt/t.mjs', cwd)).toBe('module:/opt/t.mjs');
    expect(absoluteTarget('mutant:drops-map-registers', cwd)).toBe('mutant:drops-map-registers');
    expect(absoluteTarget('model:reactos', cwd)).toBe('model:reactos');
  });

  it("makes a plain process: command's relative program and ./ arguments absolute", () => {
    expect(absoluteTarget('process:./build/t --quiet', cwd)).toBe(
      'process:/home/me/src/build/t --quiet',
    );
    expect(absoluteTarget('process:MODE=x build/t ./cfg', cwd)).toBe(
      'process:MODE=x /home/me/src/build/t /home/me/src/cfg',
    );
    expect(absoluteTarget('process:python3 ../t.py', cwd)).toBe('process:python3 /home/me/t.py');
    // On PATH, or absolute: as written; one the shell reads is left to it.
    expect(absoluteTarget('process:my-target', cwd)).toBe('process:my-target');
    expect(absoluteTarget('process:cd x && ./t', cwd)).toBe('process:cd x && ./t');
    // A directory with a space: the word quoted inside the command the shell runs.
    expect(absoluteTarget('process:./t', '/my dir')).toBe(`process:'/my dir/t'`);
  });
});

describe('absoluteCommand', () => {
  it('rewrites the trace and the target, and keeps the options after them', () => {
    const command =
      'vpdma replay out/findings/a/b/c/repro.jsonl --target module:./t.mjs --timeout 1000';
    expect(absoluteCommand(command, 'out/findings/a/b/c/repro.jsonl', 'module:./t.mjs', cwd)).toBe(
      'vpdma replay /home/me/src/out/findings/a/b/c/repro.jsonl --target module:/home/me/src/t.mjs --timeout 1000',
    );
    const quoted = `vpdma replay 'my out/repro.jsonl' --target 'process:./t -v'`;
    expect(absoluteCommand(quoted, 'my out/repro.jsonl', 'process:./t -v', cwd)).toBe(
      `vpdma replay '/home/me/src/my out/repro.jsonl' --target 'process:/home/me/src/t -v'`,
    );
  });

  it('gives nothing for a command that does not replay that trace against that target', () => {
    const command = 'vpdma replay repro.jsonl --target module:./t.mjs';
    expect(absoluteCommand(command, 'other.jsonl', 'module:./t.mjs', cwd)).toBeUndefined();
    expect(absoluteCommand(command, 'repro.jsonl', 'module:./u.mjs', cwd)).toBeUndefined();
  });
});
