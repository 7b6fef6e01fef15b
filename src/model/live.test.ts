// Which live objects a driver can name: liveOf drives the fuzzer's handles, so an MDL the
// documented LockPages keeps to itself must not be one of them (an implementation that numbers
// its MDLs differently would be blamed for not knowing its number).
import { describe, expect, it } from 'vitest';
import { liveOf } from './live.js';
import { allocatePool, driver } from './testDevice.js';

describe('liveOf(mdl)', () => {
  it.each(['docs', 'reactos'] as const)('%s: the MDLs a driver can name', (profile) => {
    const r = driver(profile);
    const block = allocatePool(r, 0x2000);
    const buffer = r.call('VideoPortLockBuffer', {
      baseAddress: block,
      length: 0x1000,
      operation: 2,
    });
    const pages = r.call('VideoPortLockPages', {
      pVrp: {
        ioControlCode: 0,
        statusBlock: 0n,
        inputBuffer: block + 0x1000n,
        inputBufferLength: 0x100,
        outputBuffer: 0n,
        outputBufferLength: 0,
      },
      pUEvent: 0n,
      pDisplayEvent: 0n,
      dmaFlags: 3,
    });
    expect(pages.ret).toBe(true);
    expect(r.model.state.mdls.size).toBe(2); // both locked...
    const live = liveOf(r.model.state, 'mdl').map((l) => l.v);
    // ...but LockPages handed out an SG list (docs), or its MDL in a field learned as one (ReactOS).
    expect(live).toHaveLength(1);
    expect(live[0]).toBe(buffer.ret);
  });
});
