// insertAt and removeAt leave an array as splice would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { insertAt, removeAt } from './sorted.js';

describe('insertAt / removeAt', () => {
  it('match splice at every position', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.nat(), fc.integer(), (a, at, v) => {
        const i = at % (a.length + 1);
        const mine = [...a];
        const theirs = [...a];
        insertAt(mine, i, v);
        theirs.splice(i, 0, v);
        expect(mine).toEqual(theirs);
        if (a.length > 0) {
          const j = at % a.length;
          removeAt(mine, j);
          theirs.splice(j, 1);
          expect(mine).toEqual(theirs);
        }
      }),
    );
  });
});
