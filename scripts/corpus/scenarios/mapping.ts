// Mapping the adapter's apertures: HwVidFindAdapter's device bases, the display driver's
// user-mode view of the frame buffer, and VGA I/O ports.
import { Mirror } from '../buffers.js';
import {
  CLIENT_PROCESS,
  FB,
  FB_BYTES,
  IO,
  MEMORY,
  MMIO,
  MMIO_BYTES,
  NO_ERROR,
  P6CACHE,
  USER_MODE,
  VGA,
  VGA_PORTS,
  pattern,
  u32le,
} from '../constants.js';
import type { Scenario } from '../scenario.js';

export const findAdapterMappings: Scenario = {
  name: 'find-adapter-mappings',
  description:
    'HwVidFindAdapter maps the MMIO register window and the whole 16 MiB frame buffer ' +
    '(write-combined) with VideoPortGetDeviceBase, identifies the chip through a scratch ' +
    'register and sets a mode; IOCTL_VIDEO_SHARE_VIDEO_MEMORY then maps 8 MiB of the frame ' +
    'buffer into the display driver process with VideoPortMapMemory and a process handle. ' +
    'Pixels written through the user view are read back through the kernel view and vice ' +
    'versa (both alias the same aperture); teardown unmaps the view and frees both bases.',
  captured: true,
  run(d) {
    const mmio = d.deviceBase(MMIO, MMIO_BYTES, MEMORY);
    const fb = d.deviceBase(FB, FB_BYTES, P6CACHE);
    // Chip identification: scratch register round trip, then the mode registers.
    d.write(mmio + 0x10n, u32le(0x0badf00d));
    d.expect(mmio + 0x10n, u32le(0x0badf00d));
    d.write(mmio + 0x100n, u32le(1, 1024, 768, 32, 4096));
    d.expect(mmio + 0x100n, u32le(1, 1024, 768, 32, 4096));
    // Test pattern on scanline 1 (1024 pixels x 4 bytes) through the kernel view.
    const screen = new Mirror(d, fb, 0x4000);
    screen.put(0x1000, pattern(0x1000, 1));
    // IOCTL_VIDEO_SHARE_VIDEO_MEMORY: the display driver's process gets its own view.
    const user = d.mapMemory(FB, 0x800000, P6CACHE, CLIENT_PROCESS);
    if (user.status !== NO_ERROR || user.va === 0n) throw new Error('MapMemory failed');
    // The display driver draws a sprite on scanline 2; the miniport sees it in its view.
    const sprite = pattern(0x200, 2);
    d.write(user.va + 0x2000n, sprite);
    screen.bytes.set(sprite, 0x2000);
    screen.check(0x2000, 0x200);
    // ... and the miniport's test pattern is visible to the display driver.
    screen.check(0x1000, 0x1000, user.va);
    screen.check(0x1ff0, 0x20, user.va);
    // IOCTL_VIDEO_UNSHARE_VIDEO_MEMORY, then the driver's cleanup path.
    if (d.unmapMemory(user.va, CLIENT_PROCESS) !== NO_ERROR) throw new Error('unmap failed');
    d.freeDeviceBase(fb);
    d.freeDeviceBase(mmio);
  },
};

export const vgaIoPorts: Scenario = {
  name: 'vga-io-ports',
  description:
    'A VGA-compatible miniport maps the I/O ports 0x3c0-0x3df with VideoPortGetDeviceBase ' +
    '(InIoSpace = VIDEO_MEMORY_SPACE_IO) next to a small MMIO window, programs the ' +
    'miscellaneous output, sequencer, graphics controller and DAC registers through the ' +
    'returned port base, reads them back, and shares the register page with user mode ' +
    '(VIDEO_MEMORY_SPACE_USER_MODE, no handle: the current process). A legacy ' +
    'VideoPortMapDmaMemory call against the I/O range returns NULL and changes no port. ' +
    'The port base is an implementation-defined value (ReactOS returns the port number itself).',
  captured: true,
  run(d) {
    const ports = d.deviceBase(VGA, VGA_PORTS, IO);
    if (ports === 0n) throw new Error('GetDeviceBase(I/O) failed');
    const regs = d.deviceBase(MMIO, 0x1000, MEMORY);
    const port = (n: number): bigint => ports + BigInt(n - 0x3c0);
    // Miscellaneous output: colour emulation, 25 MHz clock, RAM enabled.
    d.write(port(0x3c2), Uint8Array.of(0x67));
    // Sequencer index 0x3c4 / data 0x3c5: memory mode, then map mask.
    d.write(port(0x3c4), Uint8Array.of(0x04, 0x06));
    d.write(port(0x3c4), Uint8Array.of(0x02, 0x0f));
    d.expect(port(0x3c4), Uint8Array.of(0x02, 0x0f));
    // Graphics controller 0x3ce/0x3cf: miscellaneous register.
    d.write(port(0x3ce), Uint8Array.of(0x06, 0x05));
    d.expect(port(0x3ce), Uint8Array.of(0x06, 0x05));
    // DAC: write index 0x3c8, then red, green, blue through 0x3c9.
    d.write(port(0x3c8), Uint8Array.of(0x00));
    for (const c of [0x3f, 0x20, 0x00]) d.write(port(0x3c9), Uint8Array.of(c));
    d.expect(port(0x3c8), Uint8Array.of(0x00, 0x00));
    // Extended registers in the MMIO page mirror the mode.
    d.write(regs + 0x40n, u32le(0x67, 0x0f05));
    // The register page shared with user mode for the display driver's cursor code.
    const shared = d.mapMemory(MMIO, 0x1000, USER_MODE, 0n);
    if (shared.status !== NO_ERROR || shared.va === 0n) throw new Error('MapMemory failed');
    d.expect(shared.va + 0x40n, u32le(0x67, 0x0f05));
    d.write(shared.va + 0x80n, u32le(0x00400030)); // cursor position from user mode
    d.expect(regs + 0x80n, u32le(0x00400030));
    // An NT4 code path still asks for a DMA mapping of the port range: always NULL.
    const pDma = d.ptr('VideoPortMapDmaMemory', {
      pVrp: 0n,
      boardAddress: VGA,
      length: VGA_PORTS,
      inIoSpace: IO,
      mappedUserEvent: 0n,
      displayDriverEvent: 0n,
      virtualAddress: ports,
    });
    if (pDma !== 0n) throw new Error('MapDmaMemory returned a handle');
    d.expect(port(0x3c2), Uint8Array.of(0x67));
    d.expect(port(0x3c4), Uint8Array.of(0x02, 0x0f));
    d.unmapMemory(shared.va, 0n);
    d.freeDeviceBase(regs);
    d.freeDeviceBase(ports);
  },
};
