// The heartbeat's counters: a target's start is progress to the watchdog but no call to the
// progress display (a 42-call trace once showed 43 calls while finishing).
import { describe, expect, it } from 'vitest';
import { beat, callsMade, progressCount, starting } from './heartbeat.js';
import { HEARTBEAT_SLOTS } from './protocol.js';

describe('heartbeat counters', () => {
  it('count starts as progress, not as calls', () => {
    const hb = new Int32Array(new SharedArrayBuffer(4 * HEARTBEAT_SLOTS));
    starting(hb, 0);
    beat(hb, 0, 'VideoPortGetDmaAdapter');
    beat(hb, 1, 'VideoPortMapDmaMemory');
    starting(hb, 1);
    beat(hb, 0, '@write');
    expect(callsMade(hb)).toBe(3);
    expect(progressCount(hb)).toBe(5);
  });
});
