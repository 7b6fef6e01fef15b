// One spelling per seed: every way of writing one seed is one campaign, and the text printed
// and recorded (Seed.text), given back, is that campaign again.
import { describe, expect, it } from 'vitest';
import { hashString } from './hash.js';
import { parseSeed, seedRefusal } from './rng.js';

describe('parseSeed', () => {
  it('reads a 0x prefix, in either case, as a hex seed’s spelling, not part of it', () => {
    const abc = parseSeed('abc');
    expect(abc).toEqual({ text: 'abc', value: hashString('abc') % 0x1_0000_0000 });
    for (const spelling of ['0xabc', '0XABC', 'ABC', ' 0xAbC '])
      expect(parseSeed(spelling), spelling).toEqual(abc);
    const sha = '58c7482fda0e3b1e2a9d8f8c34a1b0e9d7c6b5a4';
    expect(parseSeed(`0x${sha.toUpperCase()}`)).toEqual(parseSeed(sha));
    // Past 15 digits a number is hex text, with or without 0x.
    expect(parseSeed('0x1234567890123456')).toEqual(parseSeed('1234567890123456'));
  });

  it('keeps what the other spellings meant: decimal numbers, hex text hashed', () => {
    expect(parseSeed('0016')).toEqual({ text: '16', value: 16 });
    expect(parseSeed('4294967312')).toEqual({ text: '4294967312', value: 16 });
    expect(parseSeed('deadbeef')?.value).toBe(hashString('deadbeef') % 0x1_0000_0000);
  });

  it('gives back, from the text it records, the same seed', () => {
    for (const given of [
      '0016',
      '0XABC',
      'DEADBEEF',
      '0x58C7482',
      '20261128',
      '1234567890123456',
    ]) {
      const seed = parseSeed(given);
      expect(seed, given).toBeDefined();
      expect(parseSeed(seed?.text ?? ''), given).toEqual(seed);
    }
  });

  it('refuses a 0x seed whose digits would read as decimal, saying which number it may mean', () => {
    for (const bad of ['0x10', '0X0010', '0x']) expect(parseSeed(bad), bad).toBeUndefined();
    expect(seedRefusal('0x10')).toBe(
      'a 0x seed is hex text like a git SHA, hashed without its 0x, and 10 alone is the decimal 10; give 16 for the number 0x10',
    );
    expect(seedRefusal('0x999999999999999')).not.toMatch(/give/);
    for (const other of ['0x', 'x!', '10', 'abc'])
      expect(seedRefusal(other), other).toBeUndefined();
  });
});
