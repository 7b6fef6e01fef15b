// The model's state: device, memory, live objects and allocators (spec §4). Handlers mutate
// it in place through the helpers here, which keep `version` honest: every object change
// bumps it, so "did this call change any object?" is one comparison.
import { PAGE_SIZE } from '../core/limits.js';
import type { DeviceConfig, Profile } from './device.js';
import { DEFAULT_LAYOUT, PhysAllocator, VaBump, type Layout } from './layout.js';
import { PhysMem } from './physmem.js';
import { RangeTable, type CpuRange } from './ranges.js';

export interface Adapter {
  readonly handle: bigint;
  readonly scatterGather: boolean;
  readonly dma64: boolean;
  readonly maximumLength: number;
  readonly mapRegisters: number;
  mapRegistersUsed: number;
  readonly logicalWindow: bigint;
}

export interface CommonBuffer {
  readonly va: bigint;
  readonly logical: bigint;
  readonly length: number;
  readonly cacheEnabled: boolean;
  readonly api: 'allocate' | 'get';
  /** The adapter it came from (0 for the docs profile's implicit legacy adapter). */
  readonly adapter: bigint;
  readonly pages: readonly number[];
}

export interface Mdl {
  readonly handle: bigint;
  readonly va: bigint;
  readonly length: number;
  readonly operation: number;
  readonly origin: 'LockBuffer' | 'LockPages';
  /** Page key of every page the buffer spans, in virtual order. */
  readonly keys: readonly number[];
  inFlight: number;
}

export interface SgElement {
  readonly address: bigint;
  readonly length: number;
}

export interface Transfer {
  readonly sgList: bigint;
  readonly adapter: bigint;
  readonly mdl: bigint;
  /** Byte offset of the transfer within the MDL's buffer. */
  readonly offset: number;
  readonly length: number;
  readonly writeToDevice: boolean;
  readonly context: bigint;
  /** Map registers it holds; while queued, the ones it waits for. */
  readonly mapRegisters: number;
  /** Index of the first of its map registers (they are consecutive; 0 while queued). */
  readonly firstRegister: number;
  readonly elements: readonly SgElement[];
  /**
   * queued: ReactOS accepted the start but waits for busy map registers (packetDma.ts);
   * pending: granted, its list not yet given to HwVidExecuteDma; delivered: given.
   */
  state: 'queued' | 'pending' | 'delivered';
}

export interface View {
  readonly va: bigint;
  readonly length: number;
  readonly space: 'memory' | 'io';
  readonly bus: bigint;
  readonly p6cache: boolean;
  /** 0 for a kernel view; the process handle of a user view. */
  readonly process: bigint;
  /** ReactOS records kernel memory views only (spec §F). */
  readonly recorded: boolean;
  refcount: number;
}

export interface EventObject {
  readonly handle: bigint;
  readonly notification: boolean;
  signaled: boolean;
}

export interface PoolBlock {
  readonly va: bigint;
  readonly length: number;
  readonly kind: 'pool' | 'buffer' | 'contiguous' | 'lockedList';
  readonly pages: readonly number[];
}

export class ModelState {
  readonly mem = new PhysMem();
  readonly ranges = new RangeTable();
  readonly adapters = new Map<bigint, Adapter>();
  /**
   * Put adapters, to tell a double put from a wild one: the latest `deadAdaptersMax`, oldest
   * first (a long trace must not grow the model; a put of one older than that is reported as
   * a put of an unknown adapter).
   */
  readonly deadAdapters = new Set<bigint>();
  readonly commonBuffers = new Map<bigint, CommonBuffer>();
  readonly mdls = new Map<bigint, Mdl>();
  /** Page key → live MDLs locking it: what a free under a lock is told by (locking.ts). */
  readonly lockedPages = new Map<number, number>();
  readonly transfers = new Map<bigint, Transfer>();
  readonly views = new Map<bigint, View>();
  readonly events = new Map<bigint, EventObject>();
  readonly blocks = new Map<bigint, PoolBlock>();
  /** Demand-zero user memory of the current process: user page number → RAM page. */
  readonly userPages = new Map<bigint, number>();
  /** The reverse: RAM page → user page number, to report touched user memory by address. */
  readonly userPageOf = new Map<number, bigint>();
  readonly phys: PhysAllocator;
  readonly kernelVa: VaBump;
  readonly viewVa: VaBump;
  readonly userViewVa: VaBump;
  /** Each aperture's end (base + length), by index of device.apertures: asked on every map. */
  readonly apertureEnds: readonly bigint[];
  private nextHandle: bigint;
  private adapterCount = 0;
  /** Bumped on every object change. */
  version = 0;
  /** Model time: one tick per call. */
  tick = 0;

  constructor(
    readonly device: DeviceConfig,
    readonly profile: Profile,
    readonly layout: Layout = DEFAULT_LAYOUT,
  ) {
    this.phys = new PhysAllocator(
      Math.floor(device.systemMemoryBytes / PAGE_SIZE),
      layout.topDown,
      apertureHoles(device),
    );
    this.kernelVa = new VaBump(layout.kernelVaBase);
    this.viewVa = new VaBump(layout.viewVaBase);
    this.userViewVa = new VaBump(layout.userViewVaBase);
    this.nextHandle = layout.handleBase;
    this.apertureEnds = device.apertures.map((a) => a.base + BigInt(a.length));
  }

  /** Index of the aperture of this space holding all of [bus, end), or -1. */
  apertureOf(space: 'memory' | 'io', bus: bigint, end: bigint): number {
    const aps = this.device.apertures;
    for (let i = 0; i < aps.length; i++) {
      const ap = aps[i];
      const apEnd = this.apertureEnds[i];
      if (
        ap !== undefined &&
        apEnd !== undefined &&
        ap.space === space &&
        bus >= ap.base &&
        end <= apEnd
      )
        return i;
    }
    return -1;
  }

  get reactos(): boolean {
    return this.profile === 'reactos';
  }

  newHandle(): bigint {
    const h = this.nextHandle;
    this.nextHandle += this.layout.handleStride;
    return h;
  }

  newMapWindow(): bigint {
    return this.layout.mapWindowBase + BigInt(this.adapterCount++) * 0x1000000n;
  }

  bump(): void {
    this.version++;
  }

  /** Registers a RAM-backed range and zeroes its pages (reused pages may hold old data). */
  addRamRange(va: bigint, length: number, kind: CpuRange['kind'], pages: readonly number[]): void {
    for (const p of pages) this.mem.clearPage(p);
    this.ranges.add({ va, length, kind, backing: { kind: 'pages', keys: pages } });
    this.bump();
  }

  removeRange(va: bigint): void {
    this.ranges.remove(va);
    this.bump();
  }
}

export function pagesFor(length: number): number {
  return Math.ceil(length / PAGE_SIZE);
}

/** The page ranges of the memory apertures: RAM is never handed out there. */
function apertureHoles(device: DeviceConfig): Array<[number, number]> {
  return device.apertures
    .filter((a) => a.space === 'memory')
    .map((a) => {
      const first = Number(a.base >> 12n);
      const end = Number((a.base + BigInt(a.length) + 0xfffn) >> 12n);
      return [first, end];
    });
}
