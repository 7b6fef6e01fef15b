// One rule for "this call creates something" (model/calls.ts producesObject), used by the swarm
// weights (never switched off) and by --disable's warning (CREATING_FNS, events left out): the
// lists it derives are the ones the two hand-written copies of the rule gave.
import { describe, expect, it } from 'vitest';
import { CALLS, producesObject } from '../model/calls.js';
import { CREATING_FNS } from './disabledNames.js';

const CREATING = [
  'VideoPortGetDmaAdapter',
  'VideoPortAllocateCommonBuffer',
  'VideoPortGetCommonBuffer',
  'VideoPortAllocateContiguousMemory',
  'VideoPortLockBuffer',
  'VideoPortLockPages',
  'VideoPortGetDeviceBase',
  'VideoPortMapMemory',
  'VideoPortMapBankedMemory',
  'VideoPortAllocatePool',
  'VideoPortAllocateBuffer',
  'VideoPortCreateEvent',
];

describe('producesObject', () => {
  it('holds for the calls that create something, events included', () => {
    expect(CALLS.filter(producesObject).map((c) => c.fn)).toEqual([...CREATING, '@executeDma']);
  });

  it("gives --disable's CREATING_FNS without the events", () => {
    expect(CREATING_FNS).toEqual(CREATING);
    expect(CALLS.filter((c) => c.family === 'event' && producesObject(c)).map((c) => c.fn)).toEqual(
      ['@executeDma'],
    );
  });

  it('reads ret, out-parameters and their fields alike', () => {
    const returns = CALLS.find((c) => c.ret?.produces !== undefined);
    const writesField = CALLS.find((c) => c.out.some((o) => o.fieldProduces !== undefined));
    const neither = CALLS.find((c) => c.fn === 'VideoPortMapDmaMemory');
    expect(returns && producesObject(returns)).toBe(true);
    expect(writesField && producesObject(writesField)).toBe(true);
    expect(neither && producesObject(neither)).toBe(false);
  });
});
