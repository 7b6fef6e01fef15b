import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from './shellWord.js';

describe('shellWord', () => {
  it('leaves plain words, single-quotes the rest', () => {
    expect(shellWord('corpus/a-b_c.jsonl')).toBe('corpus/a-b_c.jsonl');
    expect(shellWord('a b')).toBe(`'a b'`);
    expect(shellWord(`it's`)).toBe(`'it'\\''s'`);
  });

  it('spells control characters as $-quoted escapes, on one line', () => {
    const word = "x\u001b[31mred\nline]]>'s \\ \u0085\u202e.jsonl";
    const quoted = shellWord(word);
    expect(quoted).toBe(`$'x\\x1b[31mred\\x0aline]]>\\'s \\\\ \\u0085\\u202e.jsonl'`);
    expect(quoted).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    // bash reads it back into the very word.
    const echoed = execFileSync('bash', ['-c', `printf '%s' ${quoted}`], {
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    expect(echoed.toString('utf8')).toBe(word);
  });
});
