// A miniport's view of VideoPort, on top of the model's Recorder: each method is one call (or
// one documented sequence) the way driver code makes it, recorded into the trace. Any call
// the model calls misuse aborts the scenario: corpus traces must show correct drivers only.
import type { Recorder } from '../../src/model/recorder.js';
import type { Stepped } from '../../src/model/step.js';
import { bytesEqual, type Args, type Struct, type Value } from '../../src/model/values.js';
import { DMA_CONTEXT, EXECUTE_DMA, NO_ERROR, TAG, VpNonPagedPool } from './constants.js';

export interface DmaRequest {
  readonly adapter: bigint;
  readonly mdl: bigint;
  readonly offset?: number;
  readonly length: number;
  readonly toDevice: boolean;
  /** Bus address inside a memory aperture the device reads or writes. */
  readonly device: bigint;
  readonly context?: bigint;
  /** Driver work between the phases of one transfer (at DISPATCH_LEVEL, in the DPC, ...). */
  readonly started?: () => void;
  readonly executed?: (sgList: bigint) => void;
  readonly moved?: (sgList: bigint) => void;
}

export interface DmaCycle {
  readonly status: number;
  /** *pLength after StartDma: the bytes this cycle moved (0 when StartDma failed). */
  readonly granted: number;
  readonly elements: readonly Struct[];
}

export interface Mapping {
  readonly status: number;
  readonly va: bigint;
  readonly length: number;
}

export class Driver {
  constructor(readonly rec: Recorder) {}

  get reactos(): boolean {
    return this.rec.model.state.profile === 'reactos';
  }

  call(fn: string, args: Args): Stepped {
    const r = this.rec.call(fn, args);
    if (r.misuse !== undefined) {
      const at = this.rec.calls.length - 1;
      throw new Error(`call ${at} ${fn} is misuse (${r.misuse})`);
    }
    return r;
  }

  ptr(fn: string, args: Args): bigint {
    const r = this.call(fn, args);
    return typeof r.ret === 'bigint' ? r.ret : 0n;
  }

  status(fn: string, args: Args): number {
    const r = this.call(fn, args);
    return typeof r.ret === 'number' ? r.ret : -1;
  }

  out(r: Stepped, name: string): Value | undefined {
    return r.out?.[name];
  }

  // --- memory the driver touches ---------------------------------------------------------
  write(va: bigint, data: Uint8Array): void {
    this.call('@write', { va, data });
  }

  read(va: bigint, length: number): Uint8Array {
    const r = this.call('@read', { va, length });
    return r.ret instanceof Uint8Array ? r.ret : new Uint8Array(0);
  }

  /** Reads and insists on the bytes: the driver's own consistency check. */
  expect(va: bigint, data: Uint8Array): void {
    if (!bytesEqual(this.read(va, data.length), data)) {
      throw new Error(`call ${this.rec.calls.length - 1} @read at 0x${va.toString(16)} differs`);
    }
  }

  // --- adapters, mappings, pool ----------------------------------------------------------
  getDmaAdapter(description: Struct): bigint {
    const a = this.ptr('VideoPortGetDmaAdapter', { vpDeviceDescription: description });
    if (a === 0n) throw new Error('GetDmaAdapter failed');
    return a;
  }

  putDmaAdapter(vpDmaAdapter: bigint): void {
    this.call('VideoPortPutDmaAdapter', { vpDmaAdapter });
  }

  deviceBase(ioAddress: bigint, numberOfUchars: number, inIoSpace: number): bigint {
    return this.ptr('VideoPortGetDeviceBase', { ioAddress, numberOfUchars, inIoSpace });
  }

  freeDeviceBase(mappedAddress: bigint): void {
    this.call('VideoPortFreeDeviceBase', { mappedAddress });
  }

  /** VideoPortMapMemory; `process` 0 maps into system space. */
  mapMemory(physicalAddress: bigint, length: number, inIoSpace: number, process: bigint): Mapping {
    const r = this.call('VideoPortMapMemory', {
      physicalAddress,
      length,
      inIoSpace,
      virtualAddress: process,
    });
    const va = this.out(r, 'virtualAddress');
    const len = this.out(r, 'length');
    return {
      status: typeof r.ret === 'number' ? r.ret : -1,
      va: typeof va === 'bigint' ? va : 0n,
      length: typeof len === 'number' ? len : 0,
    };
  }

  unmapMemory(virtualAddress: bigint, processHandle: bigint): number {
    return this.status('VideoPortUnmapMemory', { virtualAddress, processHandle });
  }

  pool(numberOfBytes: number, poolType: number = VpNonPagedPool): bigint {
    return this.ptr('VideoPortAllocatePool', { poolType, numberOfBytes, tag: TAG });
  }

  freePool(ptr: bigint): void {
    this.call('VideoPortFreePool', { ptr });
  }

  lock(baseAddress: bigint, length: number, operation: number): bigint {
    return this.ptr('VideoPortLockBuffer', { baseAddress, length, operation });
  }

  unlock(mdl: bigint): void {
    this.call('VideoPortUnlockBuffer', { mdl });
  }

  createEvent(eventFlag: number): bigint {
    const r = this.call('VideoPortCreateEvent', { eventFlag, unused: 0n });
    const e = this.out(r, 'ppEvent');
    return typeof e === 'bigint' ? e : 0n;
  }

  deleteEvent(pEvent: bigint): void {
    this.call('VideoPortDeleteEvent', { pEvent });
  }

  // --- packet DMA ------------------------------------------------------------------------
  /** One StartDma → HwVidExecuteDma → device transfer → CompleteDma cycle. */
  dmaCycle(q: DmaRequest): DmaCycle {
    const start = this.call('VideoPortStartDma', {
      vpDmaAdapter: q.adapter,
      mdl: q.mdl,
      offset: q.offset ?? 0,
      pLength: q.length,
      executeDmaRoutine: EXECUTE_DMA,
      context: q.context ?? DMA_CONTEXT,
      writeToDevice: q.toDevice,
    });
    const granted = this.out(start, 'pLength');
    if (start.ret !== NO_ERROR || typeof granted !== 'number') {
      return { status: typeof start.ret === 'number' ? start.ret : -1, granted: 0, elements: [] };
    }
    q.started?.();
    const exec = this.call('@executeDma', { vpDmaAdapter: q.adapter });
    const sgList = this.out(exec, 'sgList');
    const elements = this.out(exec, 'elements');
    if (typeof sgList !== 'bigint') throw new Error('@executeDma delivered no list');
    q.executed?.(sgList);
    this.call('@deviceDma', { sgList, deviceAddress: q.device });
    q.moved?.(sgList);
    this.call('VideoPortCompleteDma', {
      vpDmaAdapter: q.adapter,
      vpScatterGather: sgList,
      writeToDevice: q.toDevice,
    });
    return { status: NO_ERROR, granted, elements: Array.isArray(elements) ? elements : [] };
  }

  /**
   * The documented loop (S16): repeat Start/Complete, advancing Offset by the granted
   * *pLength, until the whole request moved. Returns the bytes moved; fewer than asked
   * means a StartDma failed and the caller must fall back.
   */
  dmaAll(q: DmaRequest): number {
    const first = q.offset ?? 0;
    let done = 0;
    while (done < q.length) {
      const c = this.dmaCycle({
        ...q,
        offset: first + done,
        length: q.length - done,
        device: q.device + BigInt(done),
      });
      if (c.status !== NO_ERROR || c.granted === 0) break;
      done += c.granted;
    }
    return done;
  }
}
