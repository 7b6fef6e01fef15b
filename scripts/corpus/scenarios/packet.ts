// Packet-based bus-master DMA (S16): lock a buffer, StartDma, the port calls HwVidExecuteDma
// with the scatter/gather list, the device moves the data, the DPC calls CompleteDma.
import { Mirror } from '../buffers.js';
import {
  DMA_CONTEXT,
  EXECUTE_DMA,
  FB,
  FB_BYTES,
  MEMORY,
  MMIO,
  NO_ERROR,
  VpReadAccess,
  VpWriteAccess,
  deviceDescription,
  pattern,
  u32le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';

export const packetDmaToDevice: Scenario = {
  name: 'packet-dma-to-device',
  description:
    'Host-to-device packet DMA on a scatter/gather adapter: a texture upload from a ' +
    'nonpaged pool buffer that starts mid-page and spans three physically non-contiguous ' +
    'pages. The driver fills the buffer, locks it (VpReadAccess), programs the blit ' +
    'engine through MMIO, and runs StartDma (WriteToDevice TRUE) -> HwVidExecuteDma (a ' +
    'three-element list) -> device transfer into the frame buffer at offset 1 MiB -> ' +
    'CompleteDma, then verifies the upload through its frame buffer view.',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const pool = d.pool(0x3000);
    const length = 0x2d00;
    const upload = new Mirror(d, pool + 0x180n, length);
    upload.put(0, pattern(0x200, 3)); // header of the upload
    upload.put(0xe00, pattern(0x100, 4)); // straddles the first page boundary
    upload.put(0x1d80, pattern(0x200, 5)); // straddles the second
    upload.put(length - 0x80, pattern(0x80, 6)); // the tail
    const mdl = d.lock(upload.va, length, VpReadAccess);
    const dest = 0x100000;
    d.write(mmio + 0x200n, u32le(dest, length, 1)); // blit engine: destination, size, go
    const c = d.dmaCycle({ adapter, mdl, length, toDevice: true, device: FB + BigInt(dest) });
    if (c.status !== NO_ERROR || c.granted !== length) throw new Error('upload not granted');
    if (c.elements.length !== 3) throw new Error('expected a three-element list');
    d.unlock(mdl);
    const screen = fb + BigInt(dest);
    for (const [off, n] of [
      [0, 0x200],
      [0xe00, 0x100],
      [0x1d80, 0x200],
      [length - 0x80, 0x80],
      [0x800, 0x40],
    ] as const) {
      upload.check(off, n, screen);
    }
    d.freePool(pool);
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
    d.putDmaAdapter(adapter);
  },
};

export const packetDmaFromDevice: Scenario = {
  name: 'packet-dma-from-device',
  description:
    'Device-to-host packet DMA, generated style (arguments only): the 3D engine has ' +
    'rendered into an off-screen surface (modelled by the driver writing the frame buffer ' +
    'view at offset 3 MiB); the driver locks a two-page pool buffer for write access and ' +
    'runs StartDma with WriteToDevice FALSE -> HwVidExecuteDma -> device transfer -> ' +
    'CompleteDma, then reads the buffer to check the readback before unlocking it.',
  captured: false,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const source = 0x300000;
    const surface = new Mirror(d, fb + BigInt(source), 0x2000);
    surface.put(0, pattern(0x400, 7));
    surface.put(0xf80, pattern(0x100, 8));
    surface.put(0x1c00, pattern(0x400, 9));
    const pool = d.pool(0x2000);
    const mdl = d.lock(pool, 0x2000, VpWriteAccess);
    const moved = d.dmaAll({
      adapter,
      mdl,
      length: 0x2000,
      toDevice: false,
      device: FB + BigInt(source),
    });
    if (moved !== 0x2000) throw new Error('readback incomplete');
    for (const [off, n] of [
      [0, 0x400],
      [0xf80, 0x100],
      [0x1c00, 0x400],
      [0x600, 0x40],
    ] as const) {
      surface.check(off, n, pool);
    }
    d.unlock(mdl);
    d.freePool(pool);
    d.freeDeviceBase(fb);
    d.putDmaAdapter(adapter);
  },
};

export const packetDmaNoScatterGather: Scenario = {
  name: 'packet-dma-no-scatter-gather',
  description:
    'A bus master without scatter/gather (device header dma.scatterGather false, although ' +
    'the driver asks for it): two uploads from three-page pool buffers are started back to ' +
    'back, so both are in flight at once; each HwVidExecuteDma call gets exactly one ' +
    'element (the map registers present one contiguous logical range), the device moves ' +
    'both, and the DPC completes them in reverse order. The frame buffer is checked after.',
  captured: true,
  device: { dma: { scatterGather: false } },
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const jobs = [0, 1].map((i) => {
      const pool = d.pool(0x3000);
      const buf = new Mirror(d, pool + 0x40n, 0x2800);
      buf.put(0, pattern(0x100, 10 + i));
      buf.put(0x1000 - 0x40 - 0x20, pattern(0x80, 12 + i));
      buf.put(0x2800 - 0x100, pattern(0x100, 14 + i));
      const mdl = d.lock(buf.va, 0x2800, VpReadAccess);
      return { pool, buf, mdl, dest: FB + BigInt(0x500000 + i * 0x10000) };
    });
    for (const j of jobs) {
      const r = d.call('VideoPortStartDma', {
        vpDmaAdapter: adapter,
        mdl: j.mdl,
        offset: 0,
        pLength: 0x2800,
        executeDmaRoutine: EXECUTE_DMA,
        context: DMA_CONTEXT + BigInt(jobs.indexOf(j) * 0x40),
        writeToDevice: true,
      });
      if (r.ret !== NO_ERROR) throw new Error('StartDma failed');
    }
    const lists = jobs.map(() => {
      const r = d.call('@executeDma', { vpDmaAdapter: adapter });
      const elements = d.out(r, 'elements');
      if (!Array.isArray(elements) || elements.length !== 1) throw new Error('not one element');
      const sgList = d.out(r, 'sgList');
      return typeof sgList === 'bigint' ? sgList : 0n;
    });
    jobs.forEach((j, i) => d.call('@deviceDma', { sgList: lists[i] ?? 0n, deviceAddress: j.dest }));
    for (const sg of [...lists].reverse()) {
      d.call('VideoPortCompleteDma', {
        vpDmaAdapter: adapter,
        vpScatterGather: sg,
        writeToDevice: true,
      });
    }
    for (const j of jobs) {
      d.unlock(j.mdl);
      const screen = fb + (j.dest - FB);
      j.buf.check(0, 0x100, screen);
      j.buf.check(0xf90, 0xa0, screen);
      j.buf.check(0x2700, 0x100, screen);
      d.freePool(j.pool);
    }
    d.freeDeviceBase(fb);
    d.putDmaAdapter(adapter);
  },
};
