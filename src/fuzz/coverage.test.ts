// A step's coverage key, looked up in keyOf's memo, is always the hash of its text: the same
// on the first step and on every later one, whatever came between (a memo keyed too coarsely
// would hand one combination's key to another).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashString } from '../core/hash.js';
import { Model } from '../model/model.js';
import type { Stepped } from '../model/step.js';
import { coverageKey, stateShape } from './coverage.js';

describe('coverageKey', () => {
  it('is the hash of fn|branch[!]|shape|profile, first time or not', () => {
    const models = [
      new Model({ profile: 'docs' }),
      new Model({ profile: 'docs' }),
      new Model({ profile: 'reactos' }),
    ];
    // An adapter live in the second: the same profile as the first, another shape.
    models[1]?.step('VideoPortGetDmaAdapter', {
      vpDeviceDescription: {
        scatterGather: true,
        dma32BitAddresses: true,
        dma64BitAddresses: false,
        maximumLength: 0x100000,
      },
    });
    const shapes = models.map((m) => stateShape(m.state));
    expect(shapes[0]).not.toBe(shapes[1]);
    const stepArb = fc.record({
      model: fc.constantFrom(0, 1, 2),
      fn: fc.constantFrom('VideoPortMapDmaMemory', 'VideoPortLockBuffer', '@read'),
      branch: fc.constantFrom('ok', 'stale-handle', 'bad-length'),
      misuse: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), (steps) => {
        for (const st of steps) {
          const model = models[st.model] as Model;
          const stepped = (
            st.misuse ? { branch: st.branch, misuse: 'misused' } : { branch: st.branch }
          ) as Stepped;
          const text = `${st.fn}|${st.branch}${st.misuse ? '!' : ''}|${stateShape(model.state)}|${model.state.profile}`;
          expect(coverageKey(st.fn, stepped, model.state)).toBe(hashString(text));
        }
      }),
    );
  });
});
