// The obsolete PDMA calls made while real DMA state is live: transfers in flight, delivered
// scatter/gather lists, common buffers, and pages locked by the legacy LockPages path.
import type { Struct } from '../../../src/model/values.js';
import { Mirror, allocateCommonBuffer, releaseCommonBuffer } from '../buffers.js';
import {
  DENSE,
  FB,
  FB_BYTES,
  IOCTL_DRIVER_MAP_DMA,
  IOCTL_DRIVER_START_DMA,
  MEMORY,
  NOTIFICATION_EVENT,
  P6CACHE,
  SYNCHRONIZATION_EVENT,
  USER_MODE,
  VideoPortDmaInitOnly,
  VideoPortUnlockAfterDma,
  VpReadAccess,
  VpWriteAccess,
  deviceDescription,
  pattern,
  requestPacket,
  u64le,
} from '../constants.js';
import type { Driver } from '../driver.js';
import type { Scenario } from '../scenario.js';
import { mapDmaMemory } from '../legacy.js';

/** The legacy calls an old code path makes at one point of a transfer. */
function probe(d: Driver, vrp: Struct, targets: readonly bigint[], stage: number, sg = 0n): void {
  const flags = [MEMORY, USER_MODE | P6CACHE, DENSE][stage % 3] ?? MEMORY;
  for (const [i, virtualAddress] of targets.entries()) {
    mapDmaMemory(d, {
      pVrp: i === 0 ? vrp : 0n,
      boardAddress: FB + 0x200000n,
      length: 0x2000,
      inIoSpace: flags,
      virtualAddress,
    });
  }
  if (sg === 0n) return;
  // Inside HwVidExecuteDma an old driver treats the list as its PDMA handle.
  d.call('VideoPortSignalDmaComplete', { pDmaHandle: sg });
  d.call('VideoPortGetMdl', { pDma: sg });
  d.call('VideoPortGetBytesUsed', { pDma: sg });
  d.call('VideoPortUnmapDmaMemory', {
    virtualAddress: targets[0] ?? 0n,
    processHandle: 0n,
    boardMemoryHandle: sg,
  });
}

export const legacyMapDmaDuringTransfers: Scenario = {
  name: 'legacy-mapdma-during-transfers',
  description:
    'VideoPortMapDmaMemory (with a request packet whose input is the locked upload buffer ' +
    'and whose output is a live common buffer, and with *VirtualAddress set to the locked ' +
    'buffer, the common buffer and the frame buffer view) interleaved with two transfers: ' +
    'between StartDma and HwVidExecuteDma, between HwVidExecuteDma and the device transfer, ' +
    'and between the transfer and CompleteDma. A device-to-host readback runs entirely ' +
    'while the upload list is delivered but not yet moved. Inside the callbacks the driver ' +
    'also passes the scatter/gather list as a PDMA to SignalDmaComplete, GetMdl, ' +
    'GetBytesUsed and UnmapDmaMemory. Both transfers land exactly; no buffer changes.',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const ring = allocateCommonBuffer(d, adapter, 0x1000, false);
    const ringData = new Mirror(d, ring.va, ring.length);
    ringData.put(0, pattern(0x100, 80));
    const up = new Mirror(d, d.pool(0x2000), 0x2000);
    up.put(0, pattern(0x200, 81));
    up.put(0x1f00, pattern(0x100, 82));
    const down = new Mirror(d, d.pool(0x1000), 0x1000);
    const source = new Mirror(d, fb + 0x900000n, 0x1000);
    source.put(0x800, pattern(0x200, 83));
    const upMdl = d.lock(up.va, 0x2000, VpReadAccess);
    const downMdl = d.lock(down.va, 0x1000, VpWriteAccess);
    const vrp: Struct = {
      ...requestPacket(IOCTL_DRIVER_MAP_DMA, up.va, 0x2000, 0n),
      outputBuffer: ring.va,
      outputBufferLength: ring.length,
    };
    const targets = [up.va, ring.va, fb + 0x200000n];
    const readback = (): void => {
      const c = d.dmaCycle({
        adapter,
        mdl: downMdl,
        length: 0x1000,
        toDevice: false,
        device: FB + 0x900000n,
        started: () => probe(d, vrp, [down.va, ring.va], 3),
        executed: (sg) => probe(d, vrp, [down.va], 4, sg),
      });
      if (c.granted !== 0x1000) throw new Error('readback not granted');
    };
    const c = d.dmaCycle({
      adapter,
      mdl: upMdl,
      length: 0x2000,
      toDevice: true,
      device: FB + 0x200000n,
      started: () => probe(d, vrp, targets, 0),
      executed: (sg) => {
        probe(d, vrp, targets, 1, sg);
        readback();
      },
      moved: (sg) => probe(d, vrp, targets, 2, sg),
    });
    if (c.granted !== 0x2000) throw new Error('upload not granted');
    up.check(0, 0x200, fb + 0x200000n);
    up.check(0x1f00, 0x100, fb + 0x200000n);
    source.check(0x7f0, 0x220, down.va);
    up.check(0, 0x200);
    up.check(0x1f00, 0x100);
    ringData.check(0, 0x100);
    d.unlock(downMdl);
    d.unlock(upMdl);
    d.freePool(down.va);
    d.freePool(up.va);
    releaseCommonBuffer(d, adapter, ring);
    d.freeDeviceBase(fb);
    d.putDmaAdapter(adapter);
  },
};

/** A user-mode buffer handed over by a METHOD_NEITHER IOCTL (current process). */
const USER_BUFFER = 0x1230100n;

export const legacyLockPages: Scenario = {
  name: 'legacy-lockpages',
  description:
    'The NT4 DMA IOCTL path: user mode hands a 10 KiB buffer (a user-space address of the ' +
    'current process) in the request packet; the miniport calls VideoPortLockPages with ' +
    'VideoPortUnlockAfterDma first (documented to take no action: FALSE) and then with ' +
    'VideoPortDmaInitOnly (TRUE; the port reports the locked pages in OutputBuffer), passes ' +
    'the updated packet to VideoPortMapDmaMemory (NULL), calls DoDma, SignalDmaComplete and ' +
    'GetMdl with the NULL handle, and VideoPortUnlockPages at the end (docs TRUE, ReactOS ' +
    'FALSE). The user buffer is unchanged throughout.',
  captured: true,
  run(d) {
    const ue = d.createEvent(NOTIFICATION_EVENT);
    const de = d.createEvent(SYNCHRONIZATION_EVENT);
    const status = new Mirror(d, d.pool(0x10), 0x10);
    const data = new Mirror(d, USER_BUFFER, 0x2800);
    data.put(0, pattern(0x400, 90));
    data.put(0x2400, pattern(0x400, 91));
    const vrp: Struct = {
      ...requestPacket(IOCTL_DRIVER_START_DMA, USER_BUFFER, 0x2800, status.va),
      outputBuffer: 0n,
      outputBufferLength: 0,
    };
    const lockPages = (dmaFlags: number): { ok: boolean; vrp: Struct } => {
      const r = d.call('VideoPortLockPages', { pVrp: vrp, pUEvent: ue, pDisplayEvent: de, dmaFlags });
      const after = d.out(r, 'pVrp');
      return { ok: r.ret === true, vrp: typeof after === 'object' ? (after as Struct) : vrp };
    };
    if (lockPages(VideoPortUnlockAfterDma).ok) throw new Error('LockPages(UnlockAfterDma)');
    const locked = lockPages(VideoPortDmaInitOnly);
    if (!locked.ok) throw new Error('LockPages(DmaInitOnly) failed');
    mapDmaMemory(d, {
      pVrp: locked.vrp,
      boardAddress: FB + 0xa00000n,
      length: 0x2800,
      inIoSpace: MEMORY,
      virtualAddress: USER_BUFFER,
      events: [ue, de],
    });
    d.call('VideoPortDoDma', { pDma: 0n, dmaFlags: VideoPortUnlockAfterDma });
    d.call('VideoPortSignalDmaComplete', { pDmaHandle: 0n });
    d.call('VideoPortGetMdl', { pDma: 0n });
    data.check(0, 0x400);
    data.check(0x2400, 0x400);
    data.check(0x1000, 0x40);
    d.call('VideoPortUnlockPages', { pDma: 0n });
    status.put(0, u64le(0n, 0x2800n));
    data.check(0, 0x400);
    d.deleteEvent(de);
    d.deleteEvent(ue);
    d.freePool(status.va);
  },
};
