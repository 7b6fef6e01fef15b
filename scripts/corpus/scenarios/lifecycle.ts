// Whole driver lifetimes: start, work, orderly teardown; pool helpers; and a session
// recorded with a different allocator, as if captured on another system.
import { Mirror, allocateCommonBuffer, releaseCommonBuffer } from '../buffers.js';
import {
  CLIENT_PROCESS,
  CURRENT_PROCESS,
  FB,
  FB_BYTES,
  MEMORY,
  MMIO,
  NOTIFICATION_EVENT,
  NO_WAIT,
  ONE_MS,
  SYNCHRONIZATION_EVENT,
  VpModifyAccess,
  VpNonPagedPool,
  VpNonPagedPoolCacheAligned,
  VpPagedPool,
  VpPagedPoolCacheAligned,
  VpReadAccess,
  deviceDescription,
  pattern,
  u32le,
  u64le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';
import { mapDmaMemory } from '../legacy.js';

export const orderlyTeardown: Scenario = {
  name: 'orderly-teardown',
  description:
    'Generated style (arguments only). A full driver lifetime: adapter, MMIO and frame ' +
    'buffer bases, a user-mode frame buffer view, two events, a common buffer, a locked ' +
    'pool buffer and an AllocateBuffer scratch block; one upload and a signalled ' +
    'completion; then everything is released in exactly the reverse order of creation, ' +
    'with VideoPortPutDmaAdapter last.',
  captured: false,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const user = d.mapMemory(FB, 0x800000, MEMORY, CURRENT_PROCESS);
    const done = d.createEvent(SYNCHRONIZATION_EVENT);
    const vblank = d.createEvent(NOTIFICATION_EVENT);
    const ring = allocateCommonBuffer(d, adapter, 0x1000, false);
    const staging = new Mirror(d, d.pool(0x4000), 0x4000);
    const mdl = d.lock(staging.va, 0x4000, VpModifyAccess);
    const r = d.call('VideoPortAllocateBuffer', { size: 0x100 });
    const scratch = d.out(r, 'buffer');
    if (typeof scratch !== 'bigint') throw new Error('AllocateBuffer failed');
    // Work: a command in the ring, an upload, completion signalled and awaited.
    d.write(ring.va, u64le(0x1n, 0x600000n, 0x4000n));
    d.write(mmio + 0x400n, u64le(ring.logical));
    staging.put(0, pattern(0x100, 110));
    staging.put(0x3f00, pattern(0x100, 111));
    d.write(scratch, u32le(0x4000, 1));
    d.dmaAll({ adapter, mdl, length: 0x4000, toDevice: true, device: FB + 0x600000n });
    d.call('VideoPortSetEvent', { pEvent: done });
    d.call('VideoPortWaitForSingleObject', { object: done, timeout: ONE_MS });
    staging.check(0x3f00, 0x100, user.va + 0x600000n);
    // Teardown, in reverse.
    d.call('VideoPortReleaseBuffer', { buffer: scratch });
    d.unlock(mdl);
    d.freePool(staging.va);
    releaseCommonBuffer(d, adapter, ring);
    d.deleteEvent(vblank);
    d.deleteEvent(done);
    d.unmapMemory(user.va, CURRENT_PROCESS);
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
    d.putDmaAdapter(adapter);
  },
};

export const poolHelpers: Scenario = {
  name: 'pool-helpers',
  description:
    'Generated style (arguments only). VideoPortAllocatePool with each pool type ' +
    '(NonPaged, Paged, NonPagedCacheAligned, PagedCacheAligned) and sizes from 0x40 bytes ' +
    'to four pages, the driver filling and re-reading each block; a nonpaged block is ' +
    'locked (VpModifyAccess) and unlocked again; VideoPortAllocateBuffer / ReleaseBuffer ' +
    'for the obsolete path; blocks are freed out of allocation order.',
  captured: false,
  run(d) {
    const blocks = (
      [
        [VpNonPagedPool, 0x40],
        [VpPagedPool, 0x1000],
        [VpNonPagedPoolCacheAligned, 0x4000],
        [VpPagedPoolCacheAligned, 0x180],
      ] as const
    ).map(([type, size], i) => {
      const m = new Mirror(d, d.pool(size, type), size);
      m.put(0, pattern(Math.min(size, 0x100), 120 + i));
      m.put(size - 0x20, pattern(0x20, 124 + i));
      return m;
    });
    for (const m of blocks) m.check(0, Math.min(m.bytes.length, 0x100));
    const big = blocks[2];
    if (big === undefined) throw new Error('no block');
    const mdl = d.lock(big.va + 0x10n, 0x3ff0, VpModifyAccess);
    big.put(0x2000, pattern(0x80, 128));
    d.unlock(mdl);
    big.check(0x1ff0, 0xa0);
    const r = d.call('VideoPortAllocateBuffer', { size: 0x1000 });
    const buffer = d.out(r, 'buffer');
    if (typeof buffer !== 'bigint') throw new Error('AllocateBuffer failed');
    const b = new Mirror(d, buffer, 0x1000);
    b.put(0x800, pattern(0x100, 129));
    b.check(0x7f0, 0x120);
    for (const i of [1, 3, 0, 2]) d.freePool(blocks[i]?.va ?? 0n);
    d.call('VideoPortReleaseBuffer', { buffer });
  },
};

export const alternateSession: Scenario = {
  name: 'alternate-allocator-session',
  description:
    'A typical session recorded with the model\'s alternate allocation layout, as a trace ' +
    'captured on a real system would be: every handle, virtual address, logical address ' +
    'and user view differs from what the default model hands out. HwVidFindAdapter maps ' +
    'MMIO and the frame buffer and gets an adapter; the frame buffer is also mapped into ' +
    'system space with VideoPortMapMemory and shared with a client process; a common ' +
    'buffer and an upload DMA; a VideoPortMapDmaMemory probe; then teardown. Replaying it ' +
    'against the default model must learn these values instead of comparing them.',
  captured: true,
  layout: 'alternate',
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const sys = d.mapMemory(FB, 0x100000, MEMORY, 0n);
    const shared = d.mapMemory(FB + 0x100000n, 0x100000, MEMORY, CLIENT_PROCESS);
    const ring = allocateCommonBuffer(d, adapter, 0x2000, false);
    d.write(mmio + 0x400n, u64le(ring.logical));
    const cmds = new Mirror(d, ring.va, ring.length);
    cmds.put(0x1ff0, pattern(0x10, 130));
    const buf = new Mirror(d, d.pool(0x3000), 0x3000);
    buf.put(0xf00, pattern(0x200, 131));
    const mdl = d.lock(buf.va, 0x3000, VpReadAccess);
    d.dmaAll({ adapter, mdl, length: 0x3000, toDevice: true, device: FB + 0x100000n });
    buf.check(0xf00, 0x200, shared.va);
    buf.check(0xf00, 0x200, fb + 0x100000n);
    d.write(sys.va + 0x40n, pattern(0x40, 132));
    d.expect(fb + 0x40n, pattern(0x40, 132));
    mapDmaMemory(d, {
      pVrp: 0n,
      boardAddress: FB,
      length: 0x100000,
      inIoSpace: MEMORY,
      virtualAddress: sys.va,
    });
    d.expect(fb + 0x40n, pattern(0x40, 132));
    const idle = d.createEvent(NOTIFICATION_EVENT);
    d.call('VideoPortWaitForSingleObject', { object: idle, timeout: NO_WAIT });
    d.deleteEvent(idle);
    d.unlock(mdl);
    d.freePool(buf.va);
    cmds.check(0x1ff0, 0x10);
    releaseCommonBuffer(d, adapter, ring);
    d.unmapMemory(shared.va, CLIENT_PROCESS);
    d.unmapMemory(sys.va, 0n);
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
    d.putDmaAdapter(adapter);
  },
};
