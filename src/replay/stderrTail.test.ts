import { describe, expect, it } from 'vitest';
import { StderrTail } from './stderrTail.js';

function tail(text: string, chunkBytes = text.length): StderrTail {
  const t = new StderrTail();
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkBytes) t.push(bytes.subarray(i, i + chunkBytes));
  return t;
}

describe('StderrTail', () => {
  it('shows the last four non-empty lines, stack frames left out, however the chunks fell', () => {
    const text = 'one\ntwo\n\nthree: é\n    at f (x.js:1:1)\r\nfour\r\nfive';
    for (const size of [1, 2, 3, 7, text.length])
      expect(tail(text, size).summary(1000)).toBe(
        'its last stderr lines: two | three: é | four | five',
      );
    expect(tail('\n  \n').summary(1000)).toBe('');
    expect(tail('only\n').summary(1000)).toBe('its last stderr line: only');
  });

  it('shortens each over-long line on its own, keeping both ends and the length', () => {
    const long = `${'a'.repeat(50)}${'b'.repeat(10_000)}${'c'.repeat(50)}`;
    expect(tail(`${long}\nlast words\n`, 4096).summary(1000)).toBe(
      `its last stderr lines: ${'a'.repeat(50)}${'b'.repeat(36)} ... (10100 characters) ... ` +
        `${'b'.repeat(36)}${'c'.repeat(50)} | last words`,
    );
    // Up to 200 characters a line shows whole.
    const edge = 'd'.repeat(200);
    expect(tail(`${edge}\n`, 3).summary(1000)).toBe(`its last stderr line: ${edge}`);
  });

  it('fits a small budget by dropping the oldest lines, then shortening the last', () => {
    const t = tail(`${'x'.repeat(500)}\n${'y'.repeat(500)}\n${'z'.repeat(150)}\nboom\n`);
    const all = t.summary(1000);
    expect(all).toMatch(/^its last stderr lines: x{87} \.\.\. \(500 characters\) \.\.\. x{87} \| /);
    expect(all).toMatch(/ \| z{150} \| boom$/);
    expect(t.summary(200)).toBe(`its last stderr lines: ${'z'.repeat(150)} | boom`);
    expect(t.summary(100)).toBe('its last stderr line: boom');
    const one = tail(`${'q'.repeat(300)}!`);
    const s = one.summary(100);
    expect(s).toMatch(/^its last stderr line: q+ \.\.\. \(301 characters\) \.\.\. q+!$/);
    expect(s.length).toBeLessThanOrEqual(100);
  });
});
