// NT4-era drivers calling VideoPortMapDmaMemory and the rest of the obsolete PDMA family.
// Every call must return its fixed value and leave every byte and object as it was.
import { Mirror } from '../buffers.js';
import {
  CLIENT_PROCESS,
  CURRENT_PROCESS,
  DENSE,
  DMA_CONTEXT,
  FB,
  FB_BYTES,
  IO,
  IOCTL_DRIVER_MAP_DMA,
  IOCTL_VIDEO_MAP_VIDEO_MEMORY,
  MEMORY,
  MMIO,
  NOTIFICATION_EVENT,
  P6CACHE,
  SYNCHRONIZATION_EVENT,
  USER_MODE,
  VGA,
  VGA_PORTS,
  VideoPortKeepPagesLocked,
  VideoPortUnlockAfterDma,
  pattern,
  requestPacket,
  u64le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';
import { mapDmaMemory } from '../legacy.js';

const FLAG_SETS: readonly number[] = [
  MEMORY,
  IO,
  USER_MODE,
  DENSE,
  P6CACHE,
  IO | USER_MODE,
  DENSE | P6CACHE,
  USER_MODE | P6CACHE,
  IO | DENSE,
  USER_MODE | DENSE | P6CACHE,
  IO | USER_MODE | DENSE | P6CACHE,
];

export const legacyMapDmaFlags: Scenario = {
  name: 'legacy-mapdma-flags',
  description:
    'An NT4 miniport probing VideoPortMapDmaMemory with every InIoSpace value (MEMORY, IO, ' +
    'USER_MODE, DENSE, P6CACHE and combinations up to all four flag bits), board addresses ' +
    'in the frame buffer, the MMIO window and the VGA ports, lengths from 0 to the whole ' +
    'aperture, *VirtualAddress NULL or the VA of a live kernel view, user view or port base, ' +
    'and NULL or live events. Every call returns NULL; the views, registers and ports it ' +
    'names still hold what the driver wrote. VideoPortUnmapDmaMemory on the live kernel and ' +
    'user view VAs returns FALSE and tears nothing down: both views are read afterwards.',
  captured: true,
  run(d) {
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const ports = d.deviceBase(VGA, VGA_PORTS, IO);
    const user = d.mapMemory(FB, 0x100000, MEMORY, CURRENT_PROCESS);
    const screen = new Mirror(d, fb, 0x100000);
    screen.put(0, pattern(0x100, 60));
    screen.put(0x80000, pattern(0x100, 61));
    const regs = new Mirror(d, mmio, 0x1000);
    regs.put(0x20, pattern(0x20, 62));
    d.write(ports + 4n, Uint8Array.of(0x02, 0x0f));
    const userEvent = d.createEvent(NOTIFICATION_EVENT);
    const displayEvent = d.createEvent(SYNCHRONIZATION_EVENT);
    const vas = [0n, fb, user.va, mmio, ports, user.va + 0x80000n];
    const lengths = [0x1000, FB_BYTES, VGA_PORTS, 0, 0x40000, 0x100000];
    FLAG_SETS.forEach((inIoSpace, i) => {
      const io = (inIoSpace & IO) !== 0;
      const boardAddress = io ? VGA : i % 2 === 0 ? FB + BigInt(i * 0x10000) : MMIO;
      for (const k of [0, 1]) {
        mapDmaMemory(d, {
          pVrp: 0n,
          boardAddress,
          length: lengths[(i + k) % lengths.length] ?? 0,
          inIoSpace,
          virtualAddress: vas[(i + k * 3) % vas.length] ?? 0n,
          events: k === 0 ? [0n, 0n] : [userEvent, displayEvent],
        });
      }
    });
    // Nothing moved, nothing unmapped, no event signalled.
    screen.check(0, 0x100);
    screen.check(0x80000, 0x100, user.va);
    regs.check(0x20, 0x20);
    d.expect(ports + 4n, Uint8Array.of(0x02, 0x0f));
    for (const ev of [userEvent, displayEvent]) {
      if (d.call('VideoPortReadStateEvent', { pEvent: ev }).ret !== 0) throw new Error('event');
    }
    for (const [virtualAddress, processHandle] of [
      [fb, 0n],
      [user.va, CURRENT_PROCESS],
      [user.va + 0x1000n, CURRENT_PROCESS],
    ] as const) {
      const r = d.call('VideoPortUnmapDmaMemory', {
        virtualAddress,
        processHandle,
        boardMemoryHandle: 0n,
      });
      if (r.ret !== false) throw new Error('UnmapDmaMemory returned TRUE');
    }
    screen.check(0, 0x100, user.va);
    screen.check(0x80000, 0x100);
    d.unmapMemory(user.va, CURRENT_PROCESS);
    d.deleteEvent(displayEvent);
    d.deleteEvent(userEvent);
    d.freeDeviceBase(ports);
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
  },
};

export const legacyMapDmaRequestPackets: Scenario = {
  name: 'legacy-mapdma-request-packets',
  description:
    'Generated style (arguments only). An NT4 IOCTL handler passes its VIDEO_REQUEST_PACKET ' +
    'to VideoPortMapDmaMemory: input and output pointing at the live system buffer, at a ' +
    'live user view and at the kernel frame buffer view, the status block in pool. Then ' +
    'every other obsolete PDMA call: AssociateEventsWithDmaHandle, DoDma, Get/SetDmaContext, ' +
    'SignalDmaComplete, Get/SetBytesUsed and GetMdl with NULL and with a pointer to the ' +
    "driver's own live DMA-state block (the out-parameters of the Set calls point there), " +
    'and UnmapDmaMemory on the live user view. The driver completes the IOCTL with ' +
    'ERROR_INVALID_FUNCTION and checks that no buffer, view or block changed.',
  captured: false,
  run(d) {
    const fb = d.deviceBase(FB, 0x400000, MEMORY);
    const user = d.mapMemory(FB, 0x400000, MEMORY, CLIENT_PROCESS);
    const system = new Mirror(d, d.pool(0x200), 0x200);
    const status = new Mirror(d, d.pool(0x10), 0x10);
    const state = new Mirror(d, d.pool(0x40), 0x40);
    system.put(0, u64le(CLIENT_PROCESS, 0x100000n, 0x1000n)); // process, offset, size
    state.put(0, pattern(0x40, 70));
    const screen = new Mirror(d, fb, 0x200000);
    screen.put(0x100000, pattern(0x200, 71));
    const ue = d.createEvent(NOTIFICATION_EVENT);
    const de = d.createEvent(SYNCHRONIZATION_EVENT);
    const vrps = [
      requestPacket(IOCTL_DRIVER_MAP_DMA, system.va, 0x18, status.va),
      { ...requestPacket(IOCTL_VIDEO_MAP_VIDEO_MEMORY, user.va, 0x1000, status.va) },
      { ...requestPacket(IOCTL_DRIVER_MAP_DMA, system.va, 0x200, status.va), outputBuffer: fb },
    ];
    vrps.forEach((pVrp, i) => {
      mapDmaMemory(d, {
        pVrp,
        boardAddress: FB + 0x100000n,
        length: [0x1000, 0x400000, 0][i] ?? 0,
        inIoSpace: [MEMORY, USER_MODE, USER_MODE | P6CACHE][i] ?? 0,
        virtualAddress: [0n, user.va, fb][i] ?? 0n,
        events: i === 1 ? [0n, 0n] : [ue, de],
      });
      d.call('VideoPortAssociateEventsWithDmaHandle', {
        pVrp,
        mappedUserEvent: ue,
        displayDriverEvent: i === 0 ? de : 0n,
      });
    });
    for (const pDma of [0n, state.va]) {
      d.call('VideoPortDoDma', { pDma, dmaFlags: VideoPortUnlockAfterDma });
      d.call('VideoPortDoDma', { pDma, dmaFlags: VideoPortKeepPagesLocked });
      d.call('VideoPortSetDmaContext', { pDma, instanceContext: DMA_CONTEXT });
      d.call('VideoPortGetDmaContext', { pDma });
      d.call('VideoPortSetBytesUsed', { pDma, bytesUsed: 0x1000 });
      d.call('VideoPortGetBytesUsed', { pDma });
      d.call('VideoPortSignalDmaComplete', { pDmaHandle: pDma });
      d.call('VideoPortGetMdl', { pDma });
    }
    d.call('VideoPortUnmapDmaMemory', {
      virtualAddress: user.va,
      processHandle: CLIENT_PROCESS,
      boardMemoryHandle: 0n,
    });
    d.call('VideoPortUnmapDmaMemory', {
      virtualAddress: fb,
      processHandle: 0n,
      boardMemoryHandle: state.va,
    });
    status.put(0, u64le(1n, 0n)); // ERROR_INVALID_FUNCTION, no information
    system.check(0, 0x200);
    state.check(0, 0x40);
    status.check(0, 0x10);
    screen.check(0x100000, 0x200);
    screen.check(0x100000, 0x200, user.va);
    d.unmapMemory(user.va, CLIENT_PROCESS);
    d.deleteEvent(de);
    d.deleteEvent(ue);
    d.freePool(state.va);
    d.freePool(status.va);
    d.freePool(system.va);
    d.freeDeviceBase(fb);
  },
};
