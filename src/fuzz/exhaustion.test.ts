// Fresh cases reach the limits of the device they run on. A leak (a buffer a free forgets)
// shows only as a later allocation that fails where the oracle's succeeds, and a length check
// off by one at the device's DMA maximumLength only at that length; on the default device
// (256 MiB of RAM, a maximumLength of 1 MiB) no fresh case ever ran out of RAM or locked a
// buffer of exactly maximumLength, so a port with either bug passed every campaign (session
// 34's blind probe). The swarm's smaller devices (weights.ts, `device`) bring both in reach.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { Model } from '../model/model.js';
import { isStruct, type Value } from '../model/values.js';
import { generateCase } from './caseGen.js';

/** Allocators, the argument holding the length asked for, and how each says it failed. */
const ALLOCATORS: Readonly<Record<string, { len: string; failed: (ret: Value) => boolean }>> = {
  VideoPortAllocatePool: { len: 'numberOfBytes', failed: (r) => r === 0n },
  VideoPortAllocateCommonBuffer: { len: 'desiredLength', failed: (r) => r === 0n },
  VideoPortGetCommonBuffer: { len: 'desiredLength', failed: (r) => r === 0n },
  VideoPortAllocateBuffer: { len: 'size', failed: (r) => r === 8 },
};

/** The length a LockBuffer or LockPages call locks, if it is one. */
function lockLength(fn: string, args: Readonly<Record<string, Value>>): Value | undefined {
  if (fn === 'VideoPortLockBuffer') return args['length'];
  const vrp = args['pVrp'];
  return fn === 'VideoPortLockPages' && isStruct(vrp) ? vrp['inputBufferLength'] : undefined;
}

/** Of `cases` fresh cases per seed, those where RAM ran out, and those that locked maximumLength. */
function census(seeds: readonly number[], cases: number): { ram: number; maxLength: number } {
  let ram = 0;
  let maxLength = 0;
  for (const seed of seeds) {
    const ctx = { seed, seedText: String(seed), callsMax: 64, base: [] };
    for (let i = 0; i < cases; i++) {
      const t = generateCase(ctx, i);
      const device = resolveDevice(t.header.device);
      const m = new Model({ device, profile: 'docs' });
      let outOfRam = false;
      let atMax = false;
      for (const c of t.calls) {
        const r = m.step(c.fn, c.args);
        if (r.misuse !== undefined) break; // past misuse the oracle describes no port
        const a = ALLOCATORS[c.fn];
        const len = a === undefined ? 0 : Number(c.args[a.len]);
        // A length the allocator takes (1 byte to 1 GiB) that it still refused: RAM ran out.
        if (a !== undefined && len > 0 && len <= 0x40000000 && a.failed(r.ret as Value))
          outOfRam = true;
        if (lockLength(c.fn, c.args) === device.dma.maximumLength) atMax = true;
      }
      if (outOfRam) ram++;
      if (atMax) maxLength++;
    }
  }
  return { ram, maxLength };
}

describe('fresh cases', () => {
  it('run allocations out of RAM, and lock buffers of exactly the DMA maximumLength', () => {
    // 20 and 12 of these 600 cases when written; 0 and 0 with the default device alone.
    const got = census([1, 2, 3], 200);
    expect(got.ram).toBeGreaterThan(0);
    expect(got.maxLength).toBeGreaterThan(0);
  });
});

describe('a leak of a page', () => {
  it('is shown by an allocation of all the RAM left, after an odd-length release', () => {
    // An allocator's length may be `room` (arbitraries.ts), and one produced common buffer in
    // three ends inside its last page (producers.ts): 25 allocations of all the RAM left and
    // 14 such releases on small devices in these 1200 cases when written (3 and 0 before, the
    // 3 lengths that happened to equal it). Together
    // in one case they are rarer: mutation and rounds join them (bug2.mjs, session 34: found
    // in 60 s by seed 3, not by seeds 1 and 2).
    let room = 0;
    let oddRelease = 0;
    for (const seed of [1, 2, 3]) {
      const ctx = { seed, seedText: String(seed), callsMax: 64, base: [] };
      for (let i = 0; i < 400; i++) {
        const t = generateCase(ctx, i);
        const device = resolveDevice(t.header.device);
        if (device.systemMemoryBytes >= 0x1000000) continue;
        const m = new Model({ device, profile: 'docs' });
        for (const c of t.calls) {
          const left = m.state.phys.free() * 0x1000;
          if (m.step(c.fn, c.args).misuse !== undefined) break;
          const a = ALLOCATORS[c.fn];
          if (a !== undefined && c.args[a.len] === left) room++;
          const len = c.args['length'];
          if (c.fn === 'VideoPortFreeCommonBuffer' && typeof len === 'number' && len % 0x1000 !== 0)
            oddRelease++;
        }
      }
    }
    expect(room).toBeGreaterThan(10);
    expect(oddRelease).toBeGreaterThan(0);
  });
});
