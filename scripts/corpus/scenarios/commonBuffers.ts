// Common-buffer bus-master DMA (S15): memory the CPU and the device share for the adapter's
// lifetime; and the obsolete pre-XP allocation calls.
import {
  allocateCommonBuffer,
  freeCommonBuffer,
  getCommonBuffer,
  Mirror,
  releaseCommonBuffer,
} from '../buffers.js';
import {
  FB,
  MEMORY,
  MMIO,
  NO_ERROR,
  deviceDescription,
  pattern,
  u32le,
  u64le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';

const DESCRIPTOR_BYTES = 32;

/** One command descriptor: opcode, flags, source (logical), destination (bus), length. */
function descriptor(op: number, source: bigint, dest: bigint, length: number): Uint8Array {
  const out = new Uint8Array(DESCRIPTOR_BYTES);
  out.set(u32le(op, 0x1), 0);
  out.set(u64le(source, dest), 8);
  out.set(u32le(length), 24);
  return out;
}

export const commonBufferRing: Scenario = {
  name: 'common-buffer-ring',
  description:
    'A command ring in common buffers: AllocateCommonBuffer for an uncached 8 KiB ring and ' +
    'a cached 16 KiB staging area; the driver writes staging data and four blit ' +
    'descriptors (holding the staging logical address) into the ring, programs the ring ' +
    "base (logical address), size and tail through MMIO; the device's descriptor and data " +
    'fetches are modelled by @read of the ring and staging memory. ReleaseCommonBuffer gets ' +
    'exactly the allocation arguments back, in reverse order, before PutDmaAdapter.',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const mmio = d.deviceBase(MMIO, 0x1000, MEMORY);
    const ring = allocateCommonBuffer(d, adapter, 0x2000, false);
    const staging = allocateCommonBuffer(d, adapter, 0x4000, true);
    const data = new Mirror(d, staging.va, staging.length);
    for (let i = 0; i < 4; i++) data.put(i * 0x1000, pattern(0x100, 40 + i));
    const commands = new Mirror(d, ring.va, ring.length);
    for (let i = 0; i < 4; i++) {
      const source = staging.logical + BigInt(i * 0x1000);
      const dest = FB + BigInt(0x700000 + i * 0x1000);
      commands.put(i * DESCRIPTOR_BYTES, descriptor(0x10, source, dest, 0x100));
    }
    d.write(mmio + 0x400n, u64le(ring.logical));
    d.write(mmio + 0x408n, u32le(ring.length, 0));
    d.write(mmio + 0x410n, u32le(4 * DESCRIPTOR_BYTES)); // tail: four commands queued
    // The device fetches each descriptor, then its source data.
    for (let i = 0; i < 4; i++) {
      commands.check(i * DESCRIPTOR_BYTES, DESCRIPTOR_BYTES);
      data.check(i * 0x1000, 0x100);
    }
    // The ring's unused part is still zero; so is the head (the driver reads it back).
    commands.check(4 * DESCRIPTOR_BYTES, 0x40);
    d.expect(mmio + 0x414n, u32le(0));
    releaseCommonBuffer(d, adapter, staging);
    releaseCommonBuffer(d, adapter, ring);
    d.freeDeviceBase(mmio);
    d.putDmaAdapter(adapter);
  },
};

export const legacyCommonBuffers: Scenario = {
  name: 'legacy-common-buffers',
  description:
    'The obsolete allocation calls of a Windows 2000-era miniport, made after ' +
    'VideoPortGetDmaAdapter (ReactOS needs an adapter for them): VideoPortGetCommonBuffer ' +
    'for a 64 KiB uncached buffer (Alignment 0x1000, ignored) and a 256 KiB cached one ' +
    '(exactly the ReactOS palette cap), VideoPortAllocateBuffer/ReleaseBuffer for a small ' +
    'paged scratch buffer, and VideoPortAllocateContiguousMemory below 4 GiB (which has no ' +
    'free routine, so it stays allocated). FreeCommonBuffer takes VirtualAddress before ' +
    'LogicalAddress, with the GetCommonBuffer values; PutDmaAdapter comes last.',
  captured: true,
  run(d) {
    const adapter = d.getDmaAdapter(deviceDescription());
    const small = getCommonBuffer(d, 0x10000, 0x1000, false);
    const palette = getCommonBuffer(d, 0x40000, 0, true);
    const a = new Mirror(d, small.va, small.length);
    a.put(0, pattern(0x100, 50));
    a.put(small.length - 0x100, pattern(0x100, 51));
    const p = new Mirror(d, palette.va, palette.length);
    p.put(0x3ff00, pattern(0x100, 52));
    const r = d.call('VideoPortAllocateBuffer', { size: 0x800 });
    const scratch = d.out(r, 'buffer');
    if (r.ret !== NO_ERROR || typeof scratch !== 'bigint') throw new Error('AllocateBuffer');
    const s = new Mirror(d, scratch, 0x800);
    s.put(0x10, pattern(0x40, 53));
    s.check(0, 0x80);
    d.call('VideoPortReleaseBuffer', { buffer: scratch });
    const contiguous = d.ptr('VideoPortAllocateContiguousMemory', {
      numberOfBytes: 0x6000,
      highestAcceptableAddress: 0xffffffffn,
    });
    if (contiguous === 0n) throw new Error('AllocateContiguousMemory failed');
    const c = new Mirror(d, contiguous, 0x6000);
    c.put(0x5f80, pattern(0x80, 54));
    c.check(0x5f00, 0x100);
    a.check(0, 0x100);
    a.check(small.length - 0x100, 0x100);
    p.check(0x3ff00, 0x100);
    freeCommonBuffer(d, palette);
    freeCommonBuffer(d, small);
    d.putDmaAdapter(adapter);
  },
};
