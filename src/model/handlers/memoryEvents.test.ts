// The driver touching memory: @write / @read, and what touched() and version() report.
import { describe, expect, it } from 'vitest';
import { bytesArgMax } from '../../core/limits.js';
import { PROFILES } from '../device.js';
import {
  allocatePool,
  driver,
  mapFramebuffer,
  pattern,
  read,
  WILD_VA,
  write,
} from '../testDevice.js';

const USER = 0x7ff000n;

describe.each(PROFILES)('@write / @read (%s)', (profile) => {
  it('round-trips bytes through a pool block, across its page boundary', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x2000);
    const data = pattern(0x20, 4);
    expect(write(r, va + 0xff0n, data)).toEqual({ branch: 'ok' });
    expect(r.call('@read', { va: va + 0xff0n, length: 0x20 })).toEqual({ ret: data, branch: 'ok' });
    expect(read(r, va + 0xfe0n, 0x10)).toEqual(new Uint8Array(0x10));
  });

  it('user memory is demand-zero and keeps what is written', () => {
    const r = driver(profile);
    expect(read(r, USER, 0x2000)).toEqual(new Uint8Array(0x2000));
    write(r, USER + 0xffen, pattern(4));
    expect(read(r, USER + 0xffen, 4)).toEqual(pattern(4));
  });

  it('unmapped or overrunning accesses are misuse and write nothing', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    const before = r.model.version();
    for (const at of [WILD_VA, va + 0xff0n, 0n, 0xffffffffffffffffn]) {
      expect(write(r, at, pattern(0x20))).toEqual({
        branch: 'write-unmapped',
        misuse: 'write-unmapped',
      });
      expect(r.call('@read', { va: at, length: 0x20 })).toEqual({
        ret: new Uint8Array(0),
        branch: 'read-unmapped',
        misuse: 'read-unmapped',
      });
    }
    expect(r.model.version()).toBe(before);
    expect(read(r, va + 0xff0n, 0x10)).toEqual(new Uint8Array(0x10));
  });

  it('a @read longer than a trace can carry (bytesArgMax) is misuse', () => {
    const r = driver(profile);
    const view = mapFramebuffer(r);
    expect(read(r, view, bytesArgMax)).toHaveLength(bytesArgMax);
    for (const [va, length] of [
      [view, bytesArgMax + 1],
      [USER, 0xffffffff],
    ] as const)
      expect(r.call('@read', { va, length })).toEqual({
        ret: new Uint8Array(0),
        branch: 'read-too-long',
        misuse: 'read-too-long',
      });
  });

  it('an empty @write changes nothing', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    const before = r.model.version();
    expect(write(r, va, new Uint8Array(0))).toEqual({ branch: 'empty' });
    expect(write(r, WILD_VA, new Uint8Array(0))).toEqual({ branch: 'empty' });
    expect(r.model.version()).toBe(before);
  });
});

describe.each(PROFILES)('touched() and version() (%s)', (profile) => {
  it('a 1-byte write reports one range covering exactly that byte', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x3000);
    r.model.touched();
    const before = r.model.version();
    write(r, va + 0x1234n, pattern(1));
    expect(r.model.version()).not.toBe(before);
    expect(r.model.touched()).toEqual([{ address: va + 0x1234n, length: 1 }]);
    expect(r.model.touched()).toEqual([]); // drained
  });

  it('a write across a page boundary reports both pages; reads report nothing', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x3000);
    r.model.touched();
    write(r, va + 0xffen, pattern(4));
    read(r, va, 0x3000);
    expect(r.model.touched()).toEqual([
      { address: va + 0xffen, length: 2 },
      { address: va + 0x1000n, length: 2 },
    ]);
  });

  it('a write through one view is reported through every view of the page', () => {
    const r = driver(profile);
    const x = mapFramebuffer(r, 0x2000);
    const y = r.ptr('VideoPortGetDeviceBase', {
      ioAddress: 0xe0001000n,
      numberOfUchars: 0x1000,
      inIoSpace: 0,
    });
    r.model.touched();
    write(r, x + 0x1010n, pattern(2));
    expect(r.model.touched()).toEqual([
      { address: x + 0x1010n, length: 2 },
      { address: y + 0x10n, length: 2 },
    ]);
  });

  it('user memory is reported by its own address', () => {
    const r = driver(profile);
    r.model.touched();
    write(r, USER + 8n, pattern(3));
    expect(r.model.touched()).toEqual([{ address: USER + 8n, length: 3 }]);
  });

  it('zeros written into a never-written page change nothing', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    r.model.touched();
    const before = r.model.version();
    write(r, va, new Uint8Array(16));
    expect(r.model.version()).toBe(before);
    expect(r.model.touched()).toEqual([]);
  });

  it('fresh user memory on a reused RAM page reads zero, and zeros into it change nothing', () => {
    const r = driver(profile);
    const va = allocatePool(r, 0x1000);
    write(r, va, pattern(0x1000));
    r.call('VideoPortFreePool', { ptr: va }); // its page is the next one handed out
    r.model.touched();
    const before = r.model.version();
    write(r, USER, new Uint8Array(8));
    expect(r.model.version()).toBe(before);
    expect(r.model.touched()).toEqual([]);
    expect(read(r, USER, 0x1000)).toEqual(new Uint8Array(0x1000));
  });

  it('object changes move version() without touching memory', () => {
    const r = driver(profile);
    r.model.touched();
    const before = r.model.version();
    r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n });
    expect(r.model.version()).not.toBe(before);
    expect(r.model.touched()).toEqual([]);
  });
});
