// Which live objects a driver can name: liveOf drives the fuzzer's handles, so an MDL the
// documented LockPages keeps to itself must not be one of them (an implementation that numbers
// its MDLs differently would be blamed for not knowing its number).
import { describe, expect, it } from 'vitest';
import { KITCHEN_DEVICE, kitchenSink } from '../../test/support/kitchenSink.js';
import type { ResourceKind } from './callTypes.js';
import { liveAt, liveOf } from './live.js';
import { Model } from './model.js';
import { PROFILES } from './device.js';
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

// liveAt answers by one lookup what liveOf lists (clash.ts asks it at every learned value): the
// two state each kind's liveness on their own, so they are held to each other here.
describe('liveAt', () => {
  const kinds: readonly ResourceKind[] = [
    'adapter',
    'event',
    'mdl',
    'sgList',
    'commonBuffer',
    'pool',
    'buffer',
    'contiguous',
    'lockedList',
  ];

  it.each(PROFILES)('%s: agrees with liveOf after every call of the kitchen sink', (profile) => {
    const model = new Model({ device: KITCHEN_DEVICE, profile });
    const seen = new Set<bigint>(); // every value live once, of any kind: freed ones too
    const answered = new Set<ResourceKind>();
    for (const call of kitchenSink(false)) {
      model.step(call.fn, call.args);
      for (const res of kinds) for (const l of liveOf(model.state, res)) seen.add(l.v);
      // And every value the state holds an object under, live to a driver or not (a transfer
      // not yet delivered, an MDL the system keeps).
      const st = model.state;
      for (const m of [st.transfers, st.mdls, st.blocks, st.adapters, st.events])
        for (const v of m.keys()) seen.add(v);
      for (const res of kinds) {
        const live = new Set(liveOf(model.state, res).map((l) => l.v));
        if (live.size > 0) answered.add(res);
        for (const v of seen) expect(liveAt(model.state, res, v), `${res} ${v}`).toBe(live.has(v));
      }
    }
    // The trace reaches the kinds the check is about (under ReactOS its transfers go otherwise).
    const reached =
      profile === 'docs' ? ['adapter', 'mdl', 'event', 'sgList'] : ['adapter', 'event'];
    expect([...answered]).toEqual(expect.arrayContaining(reached));
  });
});
