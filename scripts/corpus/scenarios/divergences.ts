// Driver paths where the ReactOS videoprt answers differently from the documentation
// (spec §1–2 "[R]"). Each is a correct driver in both profiles (no misuse); replaying them
// against `--target model:reactos --profile docs` shows each documented divergence. Calls
// that change nothing in the oracle come first, so one trace can show several; a divergence
// that changes state ends its trace (the oracle is not compared after it).
import {
  CLIENT_PROCESS,
  FB,
  IOCTL_DRIVER_MAP_DMA,
  MEMORY,
  VpReadAccess,
  deviceDescription,
  pattern,
  requestPacket,
} from '../constants.js';
import type { Scenario } from '../scenario.js';

/** A bus address no aperture of the default device covers. */
const NOWHERE = 0x90000000n;
const VideoPortUnlockAfterDma = 1;

export const reactosAnswers: Scenario = {
  name: 'divergence-answers',
  description:
    'Calls whose answers differ between the documentation and ReactOS without changing any ' +
    'state: VideoPortGetMdl on a PDMA value (docs: returns it; ReactOS: NULL), ' +
    'VideoPortUnlockPages (docs: TRUE; ReactOS: FALSE), VideoPortMapMemory of an address ' +
    'outside every aperture (docs: ERROR_INVALID_PARAMETER, *VirtualAddress untouched; ReactOS: ' +
    'ERROR_NOT_ENOUGH_MEMORY and *VirtualAddress = NULL), VideoPortUnmapMemory of an address ' +
    'that is not mapped (docs: ERROR_INVALID_PARAMETER; ReactOS: NO_ERROR), VideoPortLockPages ' +
    'with a flag other than DmaInitOnly (docs: FALSE, packet untouched; ReactOS: FALSE with ' +
    'OutputBuffer set to NULL) and a failing VideoPortAllocateBuffer (docs: *Buffer untouched; ' +
    'ReactOS: *Buffer = NULL).',
  captured: true,
  run(d) {
    d.call('VideoPortGetMdl', { pDma: 0xffffe00000003000n });
    d.call('VideoPortUnlockPages', { pDma: 0n });
    d.call('VideoPortMapMemory', { physicalAddress: NOWHERE, length: 0x1000, inIoSpace: MEMORY, virtualAddress: 0n });
    d.call('VideoPortUnmapMemory', { virtualAddress: 0xffffc0000badd000n, processHandle: 0n });
    const buffer = d.pool(0x100);
    const vrp = requestPacket(IOCTL_DRIVER_MAP_DMA, buffer, 0x100, 0n);
    d.call('VideoPortLockPages', { pVrp: vrp, pUEvent: 0n, pDisplayEvent: 0n, dmaFlags: VideoPortUnlockAfterDma });
    d.call('VideoPortAllocateBuffer', { size: 0 });
    d.freePool(buffer);
  },
};

export const reactosPaletteCap: Scenario = {
  name: 'divergence-get-common-buffer-cap',
  description:
    'An NT4-era driver asks VideoPortGetCommonBuffer for 512 KiB after VideoPortGetDmaAdapter. ' +
    'The documentation sets no limit; ReactOS refuses anything above 0x40000 bytes (its "maximum ' +
    'palette size") with NULL and leaves *pActualLength unwritten.',
  captured: true,
  reactosMisuse: {
    rules: ['write-unmapped', 'free-unknown-buffer'],
    why: 'ReactOS returns NULL for the 512 KiB buffer, so the recorded write into it and its free have nothing to act on',
  },
  run(d) {
    d.getDmaAdapter(deviceDescription());
    const r = d.call('VideoPortGetCommonBuffer', { desiredLength: 0x80000, alignment: 0, cacheEnabled: false });
    const va = typeof r.ret === 'bigint' ? r.ret : 0n;
    if (va === 0n) return;
    d.write(va, pattern(0x40, 7));
    d.call('VideoPortFreeCommonBuffer', {
      length: 0x80000,
      virtualAddress: va,
      logicalAddress: r.out?.['logicalAddress'] ?? 0n,
      cacheEnabled: false,
    });
  },
};

export const reactosBankedMemory: Scenario = {
  name: 'divergence-map-banked-memory',
  description:
    'An NT4 banked-framebuffer driver maps its 64 KiB bank window with ' +
    'VideoPortMapBankedMemory. The documentation maps it (NO_ERROR and a virtual address); ' +
    'ReactOS does not implement it and returns ERROR_INVALID_FUNCTION.',
  captured: true,
  run(d) {
    d.call('VideoPortMapBankedMemory', {
      physicalAddress: FB,
      length: 0x10000,
      inIoSpace: MEMORY,
      virtualAddress: 0n,
      bankLength: 0x10000,
      readWriteBank: 1,
      bankRoutine: 0xfffff80000a02000n,
      context: 0n,
    });
  },
};

export const reactosStartDmaOffset: Scenario = {
  name: 'divergence-start-dma-offset',
  description:
    'A driver uploads the second page of a 16 KiB locked buffer: VideoPortStartDma with ' +
    'Offset 0x1000 and *pLength 0x1000. Per the documentation the list describes those 4 KiB; ' +
    'ReactOS ignores Offset and *pLength and maps the whole buffer, so the list handed to ' +
    'HwVidExecuteDma covers 16 KiB.',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const buffer = d.pool(0x4000);
    d.write(buffer + 0x1000n, pattern(0x1000, 3));
    const mdl = d.lock(buffer, 0x4000, VpReadAccess);
    d.dmaCycle({ adapter, mdl, offset: 0x1000, length: 0x1000, toDevice: true, device: FB + 0x20000n });
    d.unlock(mdl);
    d.freePool(buffer);
    d.putDmaAdapter(adapter);
  },
};

export const reactosStartDmaLength: Scenario = {
  name: 'divergence-start-dma-length',
  description:
    'A driver uploads the first 4 KiB of a 16 KiB locked buffer on an adapter without ' +
    'scatter/gather: VideoPortStartDma with *pLength 0x1000. Per the documentation the one ' +
    'element HwVidExecuteDma gets covers those 4 KiB; ReactOS ignores *pLength and maps the ' +
    'whole buffer, so its one element covers 16 KiB (with as many elements on both sides, the ' +
    'difference is named by the element: out.elements[0].length).',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription({ scatterGather: false }));
    const buffer = d.pool(0x4000);
    d.write(buffer, pattern(0x1000, 9));
    const mdl = d.lock(buffer, 0x4000, VpReadAccess);
    d.dmaCycle({ adapter, mdl, length: 0x1000, toDevice: true, device: FB + 0x20000n });
    d.unlock(mdl);
    d.freePool(buffer);
    d.putDmaAdapter(adapter);
  },
};

export const reactosUnmapProcessHandle: Scenario = {
  name: 'divergence-unmap-memory-process-handle',
  description:
    'A miniport maps a page of the frame buffer into system space with VideoPortMapMemory ' +
    '(*VirtualAddress NULL), writes through it, and unmaps it passing the handle of the ' +
    'process whose request it serves. The documentation takes 0 or the map-time handle (a ' +
    'system-space view has none): ERROR_INVALID_PARAMETER, and the view stays mapped. ReactOS ' +
    'ignores ProcessHandle: NO_ERROR, and the view is gone, so the final sweep finds its bytes ' +
    'unreadable.',
  captured: true,
  run(d) {
    const view = d.mapMemory(FB, 0x1000, MEMORY, 0n);
    d.write(view.va, pattern(0x40, 5));
    d.unmapMemory(view.va, CLIENT_PROCESS);
  },
};
