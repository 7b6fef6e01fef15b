// Transfers larger than the adapter can map at once, and a driver with two adapters.
import { Mirror, allocateCommonBuffer, releaseCommonBuffer } from '../buffers.js';
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
  u64le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';

const SPLIT_BYTES = 0x10000;
const SPLIT_DEST = 0x400000;
const SPLIT_PIECES: ReadonlyArray<readonly [number, number]> = [
  [0, 0x80],
  [0x3ec0, 0x80], // straddles the first grant (0x3f00: the buffer starts 0x100 into a page)
  [0x7ef0, 0x40],
  [0xbf00, 0x100],
  [SPLIT_BYTES - 0x90, 0x90],
];

export const mapRegisterSplit: Scenario = {
  name: 'packet-dma-map-register-split',
  description:
    'A 64 KiB upload on an adapter with only 4 map registers (device header ' +
    'dma.mapRegisters 4): StartDma grants at most four pages per call, so the driver loops ' +
    'Start -> HwVidExecuteDma -> device -> Complete, advancing Offset by the granted ' +
    '*pLength and the device address with it (S16). The buffer starts 0x100 bytes into a ' +
    'page, so the grants are 0x3f00, 0x4000, 0x4000, 0x4000, 0x100. The frame buffer is ' +
    'checked where the pieces and the grant boundaries land.',
  captured: true,
  device: { dma: { mapRegisters: 4 } },
  reactosMisuse: {
    rules: ['no-pending-transfer', 'device-dma-without-list', 'complete-unknown-list'],
    why:
      'ReactOS ignores Offset and *pLength and asks for the whole 64 KiB MDL at once, which ' +
      'four map registers cannot map: its StartDma fails, so the recorded HwVidExecuteDma, ' +
      'device transfer and CompleteDma after it cannot happen there (a driver on ReactOS ' +
      'would see ERROR_NOT_ENOUGH_MEMORY and fall back to copying through its view).',
  },
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const pool = d.pool(SPLIT_BYTES + 0x1000);
    const upload = new Mirror(d, pool + 0x100n, SPLIT_BYTES);
    SPLIT_PIECES.forEach(([off, n], i) => upload.put(off, pattern(n, 20 + i)));
    const mdl = d.lock(upload.va, SPLIT_BYTES, VpReadAccess);
    const starts = d.rec.calls.length;
    const moved = d.dmaAll({
      adapter,
      mdl,
      length: SPLIT_BYTES,
      toDevice: true,
      device: FB + BigInt(SPLIT_DEST),
    });
    const cycles = d.rec.calls
      .slice(starts)
      .filter((c) => c.fn === 'VideoPortStartDma').length;
    if (!d.reactos && cycles < 2) throw new Error('the transfer was not split');
    // What a driver does when StartDma cannot map the buffer at all: copy with the CPU.
    for (let off = moved; off < SPLIT_BYTES; off += 0x1000) {
      const chunk = d.read(upload.va + BigInt(off), 0x1000);
      d.write(fb + BigInt(SPLIT_DEST + off), chunk);
    }
    d.unlock(mdl);
    for (const [off, n] of SPLIT_PIECES) upload.check(off, n, fb + BigInt(SPLIT_DEST));
    upload.check(0x3f00 - 0x20, 0x40, fb + BigInt(SPLIT_DEST));
    d.freePool(pool);
    d.freeDeviceBase(fb);
    d.putDmaAdapter(adapter);
  },
};

export const multiAdapter: Scenario = {
  name: 'multi-adapter',
  description:
    'A driver with two DMA paths and one adapter each (S17): a scatter/gather blit engine ' +
    'and a video-capture engine without scatter/gather and a 64 KiB maximum transfer. The ' +
    'capture engine gets a common-buffer descriptor page. An upload on the blit adapter ' +
    'and a capture readback on the capture adapter are in flight at the same time; the ' +
    'lists are delivered, moved and completed interleaved. Teardown puts the adapters in ' +
    'reverse order of creation.',
  captured: true,
  run(d) {
    const blit = d.getDmaAdapter(deviceDescription());
    const capture = d.getDmaAdapter(deviceDescription({ scatterGather: false, maximumLength: 0x10000 }));
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const descriptors = allocateCommonBuffer(d, capture, 0x1000, false);
    // The capture engine wrote a video frame into VRAM at 8 MiB.
    const frame = new Mirror(d, fb + 0x800000n, 0x2000);
    frame.put(0, pattern(0x300, 30));
    frame.put(0x1e00, pattern(0x200, 31));
    // Upload source and capture destination buffers.
    const upPool = d.pool(0x3000);
    const up = new Mirror(d, upPool, 0x3000);
    up.put(0, pattern(0x200, 32));
    up.put(0x2f00, pattern(0x100, 33));
    const capPool = d.pool(0x2000);
    const upMdl = d.lock(upPool, 0x3000, VpReadAccess);
    const capMdl = d.lock(capPool, 0x2000, VpWriteAccess);
    d.write(descriptors.va, u64le(0x800000n, 0x2000n)); // capture descriptor: source, size
    d.write(mmio + 0x300n, u64le(descriptors.logical));
    d.write(mmio + 0x308n, u32le(1));
    const start = (vpDmaAdapter: bigint, mdl: bigint, pLength: number, toDevice: boolean): void => {
      const r = d.call('VideoPortStartDma', {
        vpDmaAdapter,
        mdl,
        offset: 0,
        pLength,
        executeDmaRoutine: EXECUTE_DMA,
        context: DMA_CONTEXT + (toDevice ? 0n : 0x80n),
        writeToDevice: toDevice,
      });
      if (r.ret !== NO_ERROR) throw new Error('StartDma failed');
    };
    const execute = (vpDmaAdapter: bigint): bigint => {
      const sg = d.out(d.call('@executeDma', { vpDmaAdapter }), 'sgList');
      return typeof sg === 'bigint' ? sg : 0n;
    };
    start(blit, upMdl, 0x3000, true);
    start(capture, capMdl, 0x2000, false);
    const capList = execute(capture);
    const upList = execute(blit);
    d.call('@deviceDma', { sgList: upList, deviceAddress: FB + 0x600000n });
    d.call('@deviceDma', { sgList: capList, deviceAddress: FB + 0x800000n });
    const complete = (vpDmaAdapter: bigint, sg: bigint, writeToDevice: boolean): void => {
      d.call('VideoPortCompleteDma', { vpDmaAdapter, vpScatterGather: sg, writeToDevice });
    };
    complete(capture, capList, false);
    complete(blit, upList, true);
    frame.check(0, 0x300, capPool);
    frame.check(0x1e00, 0x200, capPool);
    up.check(0, 0x200, fb + 0x600000n);
    up.check(0x2f00, 0x100, fb + 0x600000n);
    d.unlock(capMdl);
    d.unlock(upMdl);
    d.freePool(capPool);
    d.freePool(upPool);
    releaseCommonBuffer(d, capture, descriptors);
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
    d.putDmaAdapter(capture);
    d.putDmaAdapter(blit);
  },
};
