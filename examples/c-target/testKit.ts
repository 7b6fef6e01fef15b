// Shared by the C target's tests: the binary, a MapDmaMemory session, a process finder, and
// raw frames for talking to the binary without the harness.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { resolveDevice } from '../../src/model/device.js';
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import { packMessage, unpackMessage } from '../../src/trace/codec.js';

export const DIR = path.dirname(fileURLToPath(import.meta.url));
export const BINARY = path.join(DIR, 'vpdma-c-target');
/** The same with its own coverage (make vpdma-c-target-cov; README, "Coverage"). */
export const COV_BINARY = path.join(DIR, 'vpdma-c-target-cov');

/** An obsolete call that only moves the rotating sample on (512 bytes of live memory). */
export const FILLER = { fn: 'VideoPortGetBytesUsed', args: { pDma: 0n } } as const;

/**
 * A driver with a live common buffer (0x2000 bytes) and view (0x1000), then the obsolete call
 * under test at index 4 + `before` (after `before` other obsolete calls), then `after`: the
 * driver reading the buffer's first bytes back, `n` more obsolete calls, or a @write elsewhere.
 */
export function mapDmaSession(before = 0, after: 'read' | 'write' | number = 'read'): TraceCall[] {
  const r = new Recorder({}, false);
  const description = {
    scatterGather: true,
    dma32BitAddresses: true,
    dma64BitAddresses: false,
    maximumLength: 0x10000,
  };
  const adapter = r.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
  const args = { vpDmaAdapter: adapter, desiredLength: 0x2000, cacheEnabled: true, reserved: 0n };
  const buffer = r.ptr('VideoPortAllocateCommonBuffer', args);
  r.call('@write', { va: buffer, data: Uint8Array.from({ length: 64 }, (_, i) => i + 1) });
  const fb = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x1000,
    inIoSpace: 0,
  });
  for (let i = 0; i < before; i++) r.call(FILLER.fn, FILLER.args);
  r.call('VideoPortMapDmaMemory', {
    pVrp: 0n,
    boardAddress: 0xe0000000n,
    length: 0x1000,
    inIoSpace: 0,
    mappedUserEvent: 0n,
    displayDriverEvent: 0n,
    virtualAddress: fb,
  });
  if (after === 'read') r.call('@read', { va: buffer, length: 64 });
  else if (after === 'write') r.call('@write', { va: fb, data: Uint8Array.of(1, 2, 3) });
  else for (let i = 0; i < after; i++) r.call(FILLER.fn, FILLER.args);
  return r.calls;
}

/** Live processes whose command line contains `mark` (Linux /proc; none elsewhere). */
export function running(mark: string): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  return readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mark);
    } catch {
      return false; // exited while we looked
    }
  });
}

export function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.set(payload, 4);
  return out;
}

export const msg = (m: Record<string, unknown>): Buffer => frame(packMessage(m));
export const hello = msg({ op: 'hello', version: 1, profile: 'docs', device: resolveDevice() });

/** Runs the binary on raw input; its answers, decoded. */
export function talk(
  input: Buffer,
  env: Record<string, string> = {},
  binary = BINARY,
): { status: number | null; signal: string | null; answers: unknown[] } {
  const r = spawnSync(binary, [], { input, maxBuffer: 64 << 20, env: { ...process.env, ...env } });
  const answers: unknown[] = [];
  let at = 0;
  while (at + 4 <= r.stdout.length) {
    const n = r.stdout.readUInt32LE(at);
    answers.push(unpackMessage(r.stdout.subarray(at + 4, at + 4 + n)));
    at += 4 + n;
  }
  expect(at).toBe(r.stdout.length);
  return { status: r.status, signal: r.signal, answers };
}

export const isError = (a: unknown): boolean =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as Record<string, unknown>)['error'] === 'string';
