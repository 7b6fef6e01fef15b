import { describe, expect, it } from 'vitest';
import { plural } from './plural.js';

describe('plural', () => {
  it('adds an s unless there is one, or takes the plural it is given', () => {
    expect([0, 1, 2].map((n) => plural(n, 'trace'))).toEqual(['0 traces', '1 trace', '2 traces']);
    expect(plural(1, 'call', '1.0')).toBe('1.0 call');
    expect(plural(1, 'corpus entry', undefined, 'corpus entries')).toBe('1 corpus entry');
    expect(plural(3, 'corpus entry', undefined, 'corpus entries')).toBe('3 corpus entries');
  });
});
