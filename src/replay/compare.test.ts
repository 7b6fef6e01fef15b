import { describe, expect, it } from 'vitest';
import type { Args, Struct } from '../model/values.js';
import { AddressBook } from './addressBook.js';
import { planOf, type CallPlan } from './callPlan.js';
import { compareOutcome, isSgListBytes } from './compare.js';

function plan(fn: string): CallPlan {
  const p = planOf(fn);
  if (p === undefined) throw new Error(`no plan for ${fn}`);
  return p;
}

const mapMemArgs: Args = {
  hwDeviceExtension: 0xffffe00000001000n,
  physicalAddress: 0xe0000000n,
  length: 4096,
  inIoSpace: 0,
  virtualAddress: 0n,
};
const mapMemOracle = { ret: 0, out: { length: 4096, virtualAddress: 0x1000n } };
const ctx = { modelArgs: mapMemArgs, singleElement: false };

describe('compareOutcome, a captured trace (absent = unrecorded)', () => {
  const mapMem = plan('VideoPortMapMemory');

  it('checks nothing the capture left out: no out, no ret, an out missing keys', () => {
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 0 }, ctx, 'unrecorded')).toEqual([]);
    expect(compareOutcome(mapMem, mapMemOracle, { out: {} }, ctx, 'unrecorded')).toEqual([]);
    const partial = { ret: 0, out: { length: 4096 } };
    expect(compareOutcome(mapMem, mapMemOracle, partial, ctx, 'unrecorded')).toEqual([]);
  });

  it('checks every key it recorded, expected being the oracle and actual the trace', () => {
    const recorded = { out: { length: 4095 } };
    expect(compareOutcome(mapMem, mapMemOracle, recorded, ctx, 'unrecorded')).toEqual([
      { field: 'out.length', expected: '4096', actual: '4095' },
    ]);
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 8 }, ctx, 'unrecorded')).toEqual([
      { field: 'ret', expected: '0', actual: '8' },
    ]);
  });

  it('for a target (absent = unwritten) a left-out value is still the entry value', () => {
    // The oracle wrote a view; a target answering without virtualAddress did not.
    expect(compareOutcome(mapMem, mapMemOracle, { ret: 0 }, ctx)).toEqual([
      { field: 'out.virtualAddress', expected: 'a new view (0x1000)', actual: 'NULL' },
    ]);
  });

  it('calls a handle-like out-parameter left at its entry value that, not a new one', () => {
    // MapMemory's *VirtualAddress holds a process handle on entry (here -1, the current one);
    // a failed mapping the ReactOS oracle answers with NULL written there.
    const entry = { ...mapMemArgs, virtualAddress: 0xffffffffffffffffn };
    const oracle = { ret: 8, out: { length: 4096, virtualAddress: 0n } };
    const left = { ret: 8, out: { length: 4096, virtualAddress: 0xffffffffffffffffn } };
    expect(compareOutcome(mapMem, oracle, left, { ...ctx, modelArgs: entry })).toEqual([
      {
        field: 'out.virtualAddress',
        expected: 'NULL',
        actual: '0xffffffffffffffff, its value on entry (not written)',
      },
    ]);
  });
});

const vrp = (outputBufferLength: number): Struct => ({
  ioControlCode: 2301952,
  statusBlock: 0xffffa00000000000n,
  // 10 KiB from 0x100 into a page: three pages, so one to three elements.
  inputBuffer: 0x1230100n,
  inputBufferLength: 10240,
  outputBuffer: 0xffffa00000002000n,
  outputBufferLength,
});

describe('LockPages outputBufferLength (a VP_SCATTER_GATHER_LIST size)', () => {
  const entry = vrp(0);

  it.each([
    [40, 'x64 1 element, or x86 2'],
    [64, 'x64 2 elements'],
    [88, 'x64 3 elements'],
    [24, 'x86 1 element'],
    [56, 'x86 3 elements'],
  ])('accepts %i (%s)', (n) => {
    expect(isSgListBytes(n, entry)).toBe(true);
  });

  it.each([
    [0, 'empty'],
    [16, 'a header alone'],
    [112, 'x64 4 elements, more than the three pages'],
    [72, 'x86 4 elements, more than the three pages'],
    [48, 'neither layout'],
    [65, 'neither layout'],
  ])('refuses %i (%s)', (n) => {
    expect(isSgListBytes(n, entry)).toBe(false);
  });

  it('a wrong recorded size is a mismatch naming the member; a right x86 one is not', () => {
    const lockPages = plan('VideoPortLockPages');
    const c = { modelArgs: { pVrp: entry }, singleElement: false };
    const oracle = { ret: true, out: { pVrp: vrp(64) } };
    const x86 = { ret: true, out: { pVrp: vrp(56) } };
    expect(compareOutcome(lockPages, oracle, x86, c, 'unrecorded')).toEqual([]);
    const wrong = { ret: true, out: { pVrp: vrp(60) } };
    expect(compareOutcome(lockPages, oracle, wrong, c, 'unrecorded')).toEqual([
      { field: 'out.pVrp.outputBufferLength', expected: '64', actual: '60' },
    ]);
  });
});

describe('a mismatch inside a structure or list names the member', () => {
  it('a request packet: the first differing field', () => {
    const lockPages = plan('VideoPortLockPages');
    const c = { modelArgs: { pVrp: vrp(0) }, singleElement: false };
    const oracle = { ret: true, out: { pVrp: vrp(64) } };
    const target = { ret: true, out: { pVrp: { ...vrp(64), outputBuffer: 0n } } };
    expect(compareOutcome(lockPages, oracle, target, c)).toEqual([
      {
        field: 'out.pVrp.outputBuffer',
        expected: 'a new lockedList (0xffffa00000002000)',
        actual: 'NULL',
      },
    ]);
  });

  it('a scatter/gather list split alike: the element; split otherwise: the whole list', () => {
    const execute = plan('@executeDma');
    const c = { modelArgs: {}, singleElement: false };
    const el = (address: bigint, length: number): Struct => ({ address, length });
    const oracle = { out: { elements: [el(0x1000n, 4096), el(0x3000n, 4096)] } };
    const sameSplit = { out: { elements: [el(0x1000n, 4096), el(0x3000n, 4095)] } };
    expect(compareOutcome(execute, oracle, sameSplit, c, 'unrecorded')).toEqual([
      { field: 'out.elements[1].length', expected: '4096', actual: '4095' },
    ]);
    const otherSplit = { out: { elements: [el(0x1000n, 8191)] } };
    expect(compareOutcome(execute, oracle, otherSplit, c, 'unrecorded')).toMatchObject([
      { field: 'out.elements' },
    ]);
  });
});

describe('the values a mismatch shows, given the address book', () => {
  // The request packet's input buffer lies in a buffer the trace, the oracle and the target
  // each put somewhere else.
  const book = new AddressBook();
  book.learn('cpu', 0x1230000n, 0xffffa00000100000n, 0xffffb80000500000n, 0x4000);
  const inModel = (inputBuffer: bigint): Struct => ({ ...vrp(64), inputBuffer });
  const lockPages = plan('VideoPortLockPages');
  const c = { modelArgs: { pVrp: inModel(0xffffa00000100100n) }, singleElement: false, book };
  const oracle = { ret: true, out: { pVrp: inModel(0xffffa00000100100n) } };
  const answer = { ret: true, out: { pVrp: inModel(0xffffa00000100104n) } };

  it("a target's answer: as the target has the address, then as the trace does", () => {
    expect(compareOutcome(lockPages, oracle, answer, c)).toEqual([
      {
        field: 'out.pVrp.inputBuffer',
        expected: '0xffffb80000500100 (trace 0x1230100)',
        actual: '0xffffb80000500104 (trace 0x1230104)',
      },
    ]);
  });

  it('a recording: as the trace has it', () => {
    expect(compareOutcome(lockPages, oracle, answer, c, 'unrecorded')).toEqual([
      { field: 'out.pVrp.inputBuffer', expected: '0x1230100', actual: '0x1230104' },
    ]);
  });
});

describe('compareOutcome, a scatter/gather list', () => {
  it('a list of a non-scatter/gather adapter: exactly one element, whatever the total', () => {
    const execute = plan('@executeDma');
    const c = { modelArgs: {}, singleElement: true };
    const el = (address: bigint, length: number): Struct => ({ address, length });
    const oracle = { out: { elements: [el(0x1000n, 8192)] } };
    const one = { out: { elements: [el(0x5000n, 8192)] } };
    expect(compareOutcome(execute, oracle, one, c, 'unrecorded')).toEqual([]);
    const two = { out: { elements: [el(0x1000n, 4096), el(0x3000n, 4096)] } };
    expect(compareOutcome(execute, oracle, two, c, 'unrecorded')).toMatchObject([
      { field: 'out.elements' },
    ]);
  });
});
