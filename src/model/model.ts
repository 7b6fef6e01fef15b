// The model facade: construct from a device and profile, step calls, and look inside.
import { readVa, visitVa, writeVa } from './access.js';
import {
  DEFAULT_PROFILE,
  resolveDevice,
  type DeviceConfig,
  type DeviceSpec,
  type Profile,
} from './device.js';
import { ALTERNATE_LAYOUT, DEFAULT_LAYOUT } from './layout.js';
import {
  liveRanges,
  liveState,
  touchedRanges,
  type AddressRange,
  type LiveState,
} from './liveState.js';
import type { CpuRange, PageVisitor } from './ranges.js';
import { ModelState } from './state.js';
import { step, type Stepped } from './step.js';
import type { Args } from './values.js';

export interface ModelOptions {
  readonly device?: DeviceConfig | DeviceSpec;
  readonly profile?: Profile;
  /** 'alternate' allocates every handle and address differently (for translation tests). */
  readonly layout?: 'default' | 'alternate';
}

export class Model {
  readonly state: ModelState;

  constructor(options: ModelOptions = {}) {
    const layout = options.layout === 'alternate' ? ALTERNATE_LAYOUT : DEFAULT_LAYOUT;
    this.state = new ModelState(
      resolveDevice(options.device),
      options.profile ?? DEFAULT_PROFILE,
      layout,
    );
  }

  step(fn: string, args: Args): Stepped {
    return step(this.state, fn, args);
  }

  /** Bytes at a CPU virtual address; undefined if any byte is unmapped. */
  read(va: bigint, length: number): Uint8Array | undefined {
    return readVa(this.state, va, length);
  }

  /**
   * Puts bytes at a CPU virtual address outside any call (the replayer makes the oracle take
   * over a change the target made); false, and nothing written, if any byte is unmapped.
   */
  write(va: bigint, data: Uint8Array): boolean {
    return writeVa(this.state, va, data);
  }

  /**
   * The pages behind [va, va + length) in order, without copying (a never-written page is
   * undefined: zeros); undefined if any byte is unmapped, else whether no visit said stop.
   */
  visit(va: bigint, length: number, visit: PageVisitor): boolean | undefined {
    return visitVa(this.state, va, length, visit);
  }

  liveState(): LiveState {
    return liveState(this.state);
  }

  liveRanges(): CpuRange[] {
    return liveRanges(this.state);
  }

  /** CPU ranges written since the last call to touched(). */
  touched(): AddressRange[] {
    return touchedRanges(this.state);
  }

  /** Cheap change detector: equal before and after a call means nothing changed. */
  version(): string {
    return `${this.state.version}:${this.state.mem.writes}`;
  }
}
