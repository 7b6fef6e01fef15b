// A driver-shaped way to write call streams: each call runs against a model and is recorded
// with what the model returned, giving a captured-style trace. Used by tests and by the
// corpus scenarios (scripts/corpus).
import { HW_DEVICE_EXTENSION } from '../core/constants.js';
import { Model, type ModelOptions } from './model.js';
import type { Stepped } from './step.js';
import type { Args, TraceCall, Value } from './values.js';

export class Recorder {
  readonly model: Model;
  readonly calls: TraceCall[] = [];

  constructor(
    options: ModelOptions = {},
    /** Record ret/out (captured style) or args only (generated style). */
    private readonly captured = true,
  ) {
    this.model = new Model(options);
  }

  /** Runs fn; hwDeviceExtension is filled in unless the call is an environment event. */
  call(fn: string, args: Args): Stepped {
    const full: Args =
      fn.startsWith('@') || 'hwDeviceExtension' in args
        ? args
        : { hwDeviceExtension: HW_DEVICE_EXTENSION, ...args };
    const r = this.model.step(fn, full);
    const rec: { fn: string; args: Args; ret?: Value; out?: Args } = { fn, args: full };
    if (this.captured && r.ret !== undefined) rec.ret = r.ret;
    if (this.captured && r.out !== undefined) rec.out = r.out;
    this.calls.push(rec);
    return r;
  }

  /** The pointer a call returned (0n for NULL or a non-pointer). */
  ptr(fn: string, args: Args): bigint {
    const r = this.call(fn, args);
    return typeof r.ret === 'bigint' ? r.ret : 0n;
  }

  /** An out-parameter of the last call. */
  out(r: Stepped, name: string): Value | undefined {
    return r.out?.[name];
  }
}
