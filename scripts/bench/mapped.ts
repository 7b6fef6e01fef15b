// The set-up of the benchmarks that compare 1 MiB with 1 GiB of mapped memory (integrity.ts,
// mapDmaCheck.ts): a 1 GiB frame-buffer aperture mapped `mapped` bytes wide twice (a kernel
// view and a user view), eight 64 KiB common buffers, and data written through every mapping
// so their pages exist. `call` is the model's step or a Recorder's call.
import type { DeviceSpec } from '../../src/model/device.js';
import type { Stepped } from '../../src/model/step.js';
import type { Args } from '../../src/model/values.js';

export const FB = 0xe0000000n;
export const GIB = 1 << 30;
export const DEVICE: DeviceSpec = {
  apertures: [{ name: 'framebuffer', base: FB, length: GIB, space: 'memory' }],
  systemMemoryBytes: 256 << 20,
};

/** Maps and fills; data goes into at most `pagesMax` pages of each view. Returns the kernel view. */
export function mapAndFill(
  call: (fn: string, args: Args) => Stepped,
  mapped: number,
  pagesMax: number,
): bigint {
  const ptr = (fn: string, args: Args): bigint => call(fn, args).ret as bigint;
  const adapter = ptr('VideoPortGetDmaAdapter', {
    vpDeviceDescription: {
      scatterGather: true,
      dma32BitAddresses: true,
      dma64BitAddresses: false,
      maximumLength: 0x100000,
    },
  });
  const view = ptr('VideoPortGetDeviceBase', {
    ioAddress: FB,
    numberOfUchars: mapped,
    inIoSpace: 0,
  });
  const user = call('VideoPortMapMemory', {
    physicalAddress: FB,
    length: mapped,
    inIoSpace: 0,
    virtualAddress: 0x2a4n,
  }).out?.['virtualAddress'] as bigint;
  const data = new Uint8Array(64).fill(0xa5);
  const pages = Math.min(mapped / 0x1000, pagesMax);
  const stride = BigInt((mapped / pages) & ~0xfff);
  for (let i = 0n; i < BigInt(pages); i++) {
    call('@write', { va: view + i * stride, data });
    call('@write', { va: user + i * stride + 0x100n, data });
  }
  for (let i = 0; i < 8; i++) {
    const va = ptr('VideoPortAllocateCommonBuffer', {
      vpDmaAdapter: adapter,
      desiredLength: 0x10000,
      cacheEnabled: false,
      reserved: 0n,
    });
    call('@write', { va, data });
  }
  return view;
}
