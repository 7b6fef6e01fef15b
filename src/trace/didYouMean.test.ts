import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from './didYouMean.js';
import { CALLS } from '../model/calls.js';

const FNS = CALLS.map((c) => c.fn);

describe('closestName', () => {
  it('matches case, a dropped prefix and a small typo against the call table', () => {
    expect(closestName('videoportgetdevicebase', FNS)).toBe('VideoPortGetDeviceBase');
    expect(closestName('GetDeviceBase', FNS)).toBe('VideoPortGetDeviceBase');
    expect(closestName('VideoPortGetDeviceBass', FNS)).toBe('VideoPortGetDeviceBase');
    expect(closestName('read', FNS)).toBe('@read');
  });

  it('suggests nothing when nothing is close, or two names are equally close', () => {
    expect(closestName('VideoPortFrobnicate', FNS)).toBeUndefined();
    expect(closestName('DeviceBase', FNS)).toBeUndefined(); // Get... and Free... both end so
    expect(closestName('ab', ['ac', 'ad'])).toBeUndefined();
    expect(closestName('', FNS)).toBeUndefined();
  });

  it('does not compare a huge name (bounded cost for hostile input)', () => {
    expect(closestName(`${'x'.repeat(1 << 20)}VideoPortGetDeviceBase`, FNS)).toBeUndefined();
    expect(closestName('a'.repeat(65), ['a'.repeat(64)])).toBeUndefined();
  });

  it('renders as a clause for a message, or nothing', () => {
    expect(didYouMean('Args', ['fn', 'args'])).toBe('; did you mean "args"?');
    expect(didYouMean('tid', ['fn', 'args', 'ret', 'out'])).toBe('');
  });
});
