// Learned implementation-defined values, as apitrace's retrace keeps them: the value a trace
// names (recorded, or the oracle's when unrecorded), the oracle model's value, and the
// target's value for each produced handle or range. An address inside a learned range
// translates by its offset; anything never learned passes through unchanged.
import type { AddressSpace } from '../model/callTypes.js';

export type Side = 'trace' | 'model' | 'target';

interface Entry {
  readonly trace: bigint;
  readonly model: bigint;
  readonly target: bigint;
  /** 0 for handles: exact matches only. */
  readonly length: number;
}

/** Recent ranges searched for interior addresses; older ones still translate exactly. */
const rangesMax = 1024;
/** Remembered misses (constants such as the device extension are looked up on every call). */
const missesMax = 4096;

class SpaceBook {
  private readonly exact: Record<Side, Map<bigint, Entry>> = {
    trace: new Map(),
    model: new Map(),
    target: new Map(),
  };
  /** Most recent last. */
  private ranges: Entry[] = [];
  /** Values known to be unlearned (per side); cleared whenever something is learned. */
  private readonly misses: Record<Side, Set<bigint>> = {
    trace: new Set(),
    model: new Set(),
    target: new Set(),
  };

  learn(e: Entry): void {
    for (const m of Object.values(this.misses)) m.clear();
    this.exact.trace.set(e.trace, e);
    this.exact.model.set(e.model, e);
    this.exact.target.set(e.target, e);
    if (e.length > 0) {
      this.ranges.push(e);
      // Amortized: drop the oldest half at once instead of shifting on every learn.
      if (this.ranges.length > 2 * rangesMax) this.ranges = this.ranges.slice(-rangesMax);
    }
  }

  find(from: Side, v: bigint): [Entry, bigint] | undefined {
    const hit = this.exact[from].get(v);
    if (hit !== undefined) return [hit, 0n];
    const misses = this.misses[from];
    if (misses.has(v)) return undefined;
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const e = this.ranges[i];
      if (e === undefined) continue;
      const off = v - e[from];
      if (off > 0n && off < BigInt(e.length)) return [e, off];
    }
    if (misses.size < missesMax) misses.add(v);
    return undefined;
  }

  translate(from: Side, to: Side, v: bigint): bigint | undefined {
    const found = this.find(from, v);
    return found === undefined ? undefined : found[0][to] + found[1];
  }

  size(): number {
    return this.exact.trace.size;
  }
}

export class AddressBook {
  private readonly spaces: Record<AddressSpace, SpaceBook> = {
    handle: new SpaceBook(),
    cpu: new SpaceBook(),
    device: new SpaceBook(),
  };
  /** True while every learned value is the same on both sides: translation is the identity. */
  private sameModel = true;
  private sameTarget = true;

  learn(space: AddressSpace, trace: bigint, model: bigint, target: bigint, length = 0): void {
    if (trace !== model) this.sameModel = false;
    if (trace !== target || model !== target) this.sameTarget = false;
    this.spaces[space].learn({ trace, model, target, length: space === 'handle' ? 0 : length });
  }

  /** Whether translating between these sides can change any value (false: skip it). */
  moves(from: Side, to: Side): boolean {
    if (from === to) return false;
    if (from === 'target' || to === 'target') return !(this.sameTarget && this.sameModel);
    return !this.sameModel;
  }

  /** v translated between sides; NULL and unknown values pass through unchanged. */
  map(space: AddressSpace, from: Side, to: Side, v: bigint): bigint {
    if (v === 0n || from === to) return v;
    return this.spaces[space].translate(from, to, v) ?? v;
  }

  /** Like map(), but undefined when v was never learned (to tell wild values apart). */
  lookup(space: AddressSpace, from: Side, to: Side, v: bigint): bigint | undefined {
    return this.spaces[space].translate(from, to, v);
  }

  knows(space: AddressSpace, from: Side, v: bigint): boolean {
    return this.spaces[space].find(from, v) !== undefined;
  }

  size(): number {
    return this.spaces.handle.size() + this.spaces.cpu.size() + this.spaces.device.size();
  }
}
