// --around's filter over --explain's text: the calls near each violation kept, each run of
// the others one line, and what a replay that stopped short (a hang) held, at the end.
import { describe, expect, it } from 'vitest';
import { aroundFilter } from './explainAround.js';

const HEAD = '# t.txt: each call with its arguments ...';

/** --explain's text for `calls` calls, those in `bad` with a violation, in the given chunks. */
function explained(calls: number, bad: readonly number[]): string[] {
  const chunks = [HEAD];
  for (let i = 0; i < calls; i++) {
    chunks.push(`call ${i} (line ${i + 2}): F${i}()`);
    chunks.push(`  target and oracle: -> ${i}`);
    if (bad.includes(i)) chunks.push(`  VIOLATION k: at ${i}`);
  }
  return chunks;
}

function filtered(n: number, chunks: readonly string[]): { out: string[]; end: string } {
  const out: string[] = [];
  const f = aroundFilter(n, (t) => out.push(t));
  // Each line its own chunk, as the Explainer sends a call's line before its answer.
  for (const c of chunks) f.write(`${c}\n`);
  return { out: out.join('').split('\n').slice(0, -1), end: f.end() };
}

const shown = (lines: readonly string[]): string[] => lines.filter((l) => !l.startsWith('  '));

describe('aroundFilter', () => {
  it('keeps the n calls before and after each violation, and says which were left out', () => {
    const { out, end } = filtered(2, [...explained(20, [5, 7, 16]), '# end: 20 calls']);
    expect(shown(out)).toEqual([
      HEAD,
      '# calls 0-2 not shown (3 calls more than 2 from a violation: --around 2)',
      ...[3, 4, 5, 6, 7, 8, 9].map((i) => `call ${i} (line ${i + 2}): F${i}()`),
      '# calls 10-13 not shown (4 calls more than 2 from a violation: --around 2)',
      ...[14, 15, 16, 17, 18].map((i) => `call ${i} (line ${i + 2}): F${i}()`),
      '# call 19 not shown (1 call more than 2 from a violation: --around 2)',
      '# end: 20 calls',
    ]);
    // A call's own lines go with it.
    expect(out).toContain('  VIOLATION k: at 16');
    expect(out).not.toContain('  target and oracle: -> 2');
    expect(end).toBe('');
  });

  it('with 0 keeps the violating calls only; with no violation, one line for all', () => {
    expect(shown(filtered(0, [...explained(4, [1]), '# end']).out)).toEqual([
      HEAD,
      '# call 0 not shown (1 call more than 0 from a violation: --around 0)',
      'call 1 (line 3): F1()',
      '# calls 2-3 not shown (2 calls more than 0 from a violation: --around 0)',
      '# end',
    ]);
    expect(shown(filtered(3, [...explained(9, []), '# end']).out)).toEqual([
      HEAD,
      '# calls 0-8 not shown (9 calls more than 3 from a violation: --around 3)',
      '# end',
    ]);
  });

  it('gives the call a replay stopped in, with those before it, when no end line came', () => {
    const { out, end } = filtered(1, explained(6, []));
    expect(shown(out)).toEqual([HEAD]);
    expect(end.split('\n')).toEqual([
      '# calls 0-3 not shown (4 calls more than 1 from a violation: --around 1)',
      'call 4 (line 6): F4()',
      '  target and oracle: -> 4',
      'call 5 (line 7): F5()',
      '  target and oracle: -> 5',
      '',
    ]);
  });
});
