import { describe, expect, it } from 'vitest';
import { crashTitle } from './crashTitle.js';

describe('a crash title', () => {
  it('is the same whatever values the message quotes', () => {
    const at = (adapter: string, call: number): string =>
      crashTitle(
        `VideoPortCompleteDma: the target threw Error: use after put: adapter ${adapter}, freed at call ${call}`,
      );
    const title =
      'VideoPortCompleteDma: the target threw Error: use after put: adapter #, freed at call #';
    expect(at('0xffffe00010000400', 41)).toBe(title);
    expect(at('0xffffe00000001000', 1)).toBe(title);
    expect(at('ffffe00000001000', 7)).toBe(title);
    // NULL is not any address: a port crashing on a NULL adapter is not the use after free
    // (a probe's target recorded NULL as put, and a repro of its freed adapter slid to NULL).
    expect(at('0x0', 41)).toBe(title.replace('adapter #', 'adapter 0x0'));
    expect(at('0x00000000', 41)).toBe(at('0x0', 41));
    // Another crash of the same function is another title.
    expect(
      crashTitle('VideoPortCompleteDma: the target threw TypeError: cannot read the list at 0x0'),
    ).not.toBe(title);
  });

  it("is the message's first line", () => {
    expect(
      crashTitle('VideoPortStartDma: the target threw Error: boom 12\n  at x (t.mjs:3:9)'),
    ).toBe('VideoPortStartDma: the target threw Error: boom #');
    expect(crashTitle('a\r\nb')).toBe('a');
  });

  it("leaves out a process target's stderr lines, its log as much as its last words", () => {
    const died = (pid: number, stderr: string): string =>
      crashTitle(`\`./my-target\` exited (SIGSEGV) during VideoPortStartDma; ${stderr} ${pid}`);
    const title = '`./my-target` exited (SIGSEGV) during VideoPortStartDma';
    expect(died(4711, 'its last stderr lines: StartDma(adapter=0x10) | pid')).toBe(title);
    expect(died(815, 'its last stderr line: 12:03:04 CompleteDma(list=NULL) pid')).toBe(title);
    // Exit codes are values like any other; a signal is a word.
    expect(crashTitle('`./t` exited (code 3) during VideoPortStartDma')).toBe(
      '`./t` exited (code #) during VideoPortStartDma',
    );
    expect(
      crashTitle(
        '`./t` exceeded --rss-limit-mb 64 (rss 71 MiB) during VideoPortMapDmaMemory; its last stderr line: x',
      ),
    ).toBe('`./t` exceeded --rss-limit-mb # (rss # MiB) during VideoPortMapDmaMemory');
  });

  it('marks numbers and hex runs, not words made of hex letters', () => {
    expect(crashTitle('dead face at 12:03:04.123, thread_4711, pid=815 [3] -1 uint32 e29b')).toBe(
      'dead face at #:#:#.#, thread_#, pid=# [#] -# uint# #',
    );
    expect(
      crashTitle('VideoPortGetDmaAdapter killed its worker thread (worker exited with code: 7)'),
    ).toBe('VideoPortGetDmaAdapter killed its worker thread (worker exited with code: #)');
  });
});
