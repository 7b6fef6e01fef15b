import { describe, expect, it } from 'vitest';
import { checkStructures } from './recordStructures.js';

describe('checkStructures', () => {
  it('passes a list of distinct-key structures through', () => {
    const list = [['fn', 'args'], ['va', 'length'], []];
    expect(checkStructures(list, 8)).toBe(list);
  });

  it('names what is wrong: not a list, too many, a bad key, a repeated key', () => {
    expect(checkStructures({}, 8)).toBe('record structures are not a list');
    expect(checkStructures([[], [], []], 2)).toBe('more than 2 record structures');
    expect(checkStructures([['fn'], ['__proto__']], 8)).toBe('record structure 1 has a bad key');
    expect(checkStructures([['fn', 7]], 8)).toBe('record structure 0 has a bad key');
    // Two values for one field in one record: msgpackr would keep the last without a word.
    expect(checkStructures([['fn', 'args', 'fn']], 8)).toBe('record structure 0 repeats a key');
  });
});
