// Option parsing: one spelling per seed, whole numbers only, bounded echoes of bad values.
import { describe, expect, it } from 'vitest';
import {
  durationOption,
  positiveInt,
  rssLimitOption,
  seedOption,
  stderrIntoStdoutWarning,
  workerHeapOption,
} from './options.js';

describe('seedOption', () => {
  it('gives one seed, spelled one way, for the same number or SHA however written', () => {
    expect(seedOption('0016', {})).toEqual(seedOption('16', {}));
    expect(seedOption('16', {}).text).toBe('16');
    expect(seedOption('ABCDEF0123', {})).toEqual(seedOption('abcdef0123', {}));
    expect(seedOption('0XABCDEF0123', {})).toEqual(seedOption('abcdef0123', {}));
    expect(seedOption(' abcdef0123 ', {}).text).toBe('abcdef0123');
    expect(seedOption('17', {})).not.toEqual(seedOption('16', {}));
  });

  it('quotes a bad seed in bounded length, naming where it came from', () => {
    expect(() => seedOption('x'.repeat(5000), {})).toThrow(
      /^--seed: expected a decimal number or a hex string such as a git SHA, got "x{80}\.\.\." \(5000 characters\)$/,
    );
    expect(() => seedOption(undefined, { VPDMA_SEED: 'no!' })).toThrow(/^VPDMA_SEED: .*got "no!"$/);
    expect(() => seedOption('0x10', {})).toThrow(
      /^--seed: expected .*, got "0x10": a 0x seed is hex text .*; give 16 for the number 0x10$/,
    );
  });
});

describe('positiveInt', () => {
  it('takes digits only', () => {
    expect(positiveInt('--runs', '1000', 5)).toBe(1000);
    expect(positiveInt('--runs', undefined, 5)).toBe(5);
    for (const bad of ['1e3', '0x10', ' 5', '5 ', '-1', '0', '1.5', ''])
      expect(() => positiveInt('--runs', bad, 5), bad).toThrow(/^--runs: expected a whole number/);
  });
});

describe('durationOption', () => {
  it('takes any length a report can record, beyond what one setTimeout can wait', () => {
    expect(durationOption('--budget-replay', '600h')).toBe(600 * 3_600_000);
    expect(durationOption('--budget-replay', '9999999')).toBe(9_999_999_000);
    expect(() => durationOption('--budget-replay', '9'.repeat(400))).toThrow(
      /^--budget-replay: expected at most 9007199254740991 ms, got "9{400}"$/,
    );
    expect(() => durationOption('--time', '0s')).toThrow(/^--time: must be more than zero$/);
  });
});

describe('workerHeapOption', () => {
  it('states the range it takes: from 16 MiB, the least a worker starts with', () => {
    expect(workerHeapOption(undefined)).toBeUndefined();
    expect(workerHeapOption('16')).toBe(16);
    expect(workerHeapOption('1048576')).toBe(1048576);
    for (const bad of ['0', '1', '15', '1048577', '16.5', 'x'])
      expect(() => workerHeapOption(bad), bad).toThrow(
        new RegExp(`^--worker-heap-mb: expected a whole number from 16 to 1048576, got "${bad}"$`),
      );
  });
});

describe('rssLimitOption', () => {
  it("defaults to libFuzzer's 2048, takes 0 for no limit, and refuses what is no whole number", () => {
    expect(rssLimitOption(undefined)).toBe(2048);
    expect(rssLimitOption('0')).toBe(0);
    expect(rssLimitOption('64')).toBe(64);
    for (const bad of ['-1', '64.5', '1e3', '1048577'])
      expect(() => rssLimitOption(bad), bad).toThrow(
        new RegExp(`^--rss-limit-mb: expected a whole number from 0 to 1048576, got "${bad}"$`),
      );
  });
});

describe('stderrIntoStdoutWarning', () => {
  it('warns of a process SPEC whose stderr goes into the protocol, and of no other', () => {
    for (const spec of [
      'process:./t 2>&1',
      'process:sh -c "./t" 2>&1 | cat',
      'process:./t 2>&1 >x',
    ])
      expect(stderrIntoStdoutWarning(spec)).toMatch(/^--target: .*\(2>&1\).*2>>target\.log/);
    for (const spec of [
      undefined,
      'model',
      'module:./t 2>&1.mjs',
      'process:./t',
      'process:./t 2>>dbg.log',
      'process:./t 12>&1',
      'process:./t 2>&10',
    ])
      expect(stderrIntoStdoutWarning(spec)).toBeUndefined();
  });
});
