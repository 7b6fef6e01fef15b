// --explain's objects line, from two censuses of the model's state.
import { describe, expect, it } from 'vitest';
import { censusOf, EMPTY_CENSUS } from '../model/census.js';
import { Model } from '../model/model.js';
import { objectsLine } from './objectsLine.js';

const EXT = 0xffffe00000001000n;

describe('objectsLine', () => {
  it('names four objects a call created or freed, then counts the rest', () => {
    const m = new Model();
    for (let i = 0; i < 6; i++)
      m.step('VideoPortAllocatePool', {
        hwDeviceExtension: EXT,
        poolType: 0,
        numberOfBytes: 4096,
        tag: 1,
      });
    const six = censusOf(m.state);
    const block = 'pool block 0x[0-9a-f]+';
    expect(objectsLine(EMPTY_CENSUS, six)).toMatch(
      new RegExp(
        `^created ${block}, ${block}, ${block}, ${block} and 2 more; live: 6 pool blocks$`,
      ),
    );
    expect(objectsLine(six, EMPTY_CENSUS)).toMatch(/^freed pool block .* and 2 more; live: none$/);
    expect(objectsLine(six, six)).toBeUndefined();
  });

  it('says what was created and what freed by one call, and user views apart', () => {
    const m = new Model();
    const va = m.step('VideoPortAllocatePool', {
      hwDeviceExtension: EXT,
      poolType: 0,
      numberOfBytes: 4096,
      tag: 1,
    }).ret;
    const before = censusOf(m.state);
    m.step('VideoPortFreePool', { hwDeviceExtension: EXT, ptr: va ?? 0n });
    m.step('VideoPortMapMemory', {
      hwDeviceExtension: EXT,
      physicalAddress: 0xe0000000n,
      length: 4096,
      inIoSpace: 0,
      virtualAddress: 0xffffffffffffffffn,
    });
    expect(objectsLine(before, censusOf(m.state))).toBe(
      `created user view 0x800000000000; freed pool block 0x${(va as bigint).toString(16)}; live: 1 user view`,
    );
  });
});
