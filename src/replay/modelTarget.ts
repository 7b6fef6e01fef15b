// The reference model as a target. Users wrap it to study one change (DESIGN.md: the package
// exports createModelTarget); the bundled mutants are built the same way.
import {
  DEFAULT_PROFILE,
  isProfile,
  type DeviceConfig,
  type DeviceSpec,
  type Profile,
} from '../model/device.js';
import { Model } from '../model/model.js';
import { harnessTarget } from './argsInPlace.js';
import { owned } from './unchanging.js';
import { checkModelCall, checkModelTargetOptions } from './modelTargetOptions.js';
import type { CallOutcome } from '../model/values.js';
import {
  pagesInPlace,
  readOrUndefined,
  type PagesInPlace,
  type QuietRead,
  type Target,
  type TargetOptions,
  type TraceCallIn,
} from './target.js';

export interface ModelTargetOptions extends TargetOptions {
  /** 'alternate' allocates every handle and address differently from the oracle. */
  readonly layout?: 'default' | 'alternate';
}

/**
 * What createModelTarget takes: the device as a factory is given it or as a trace header
 * spells it (any subset: the rest are the defaults), the profile ("docs" when missing). An
 * option given as undefined is missing, so a header's own optional fields pass as they are.
 */
export interface ModelTargetInput {
  readonly device?: DeviceConfig | DeviceSpec | undefined;
  readonly profile?: string | undefined;
  readonly layout?: 'default' | 'alternate' | undefined;
}

export interface ModelTarget extends Target {
  readonly model: Model;
  call(call: TraceCallIn): CallOutcome;
  read(address: bigint, length: number): Uint8Array;
}

export function createModelTargetSync(options: ModelTargetOptions): ModelTarget {
  const profile: Profile = isProfile(options.profile) ? options.profile : DEFAULT_PROFILE;
  const model = new Model({ device: options.device, profile, layout: options.layout ?? 'default' });
  // The same object while no object changed, so the harness's comparison of it is O(1).
  let cached: { version: number; state: Record<string, unknown> } | undefined;
  const state = (): Record<string, unknown> => {
    if (cached?.version !== model.state.version) {
      cached = {
        version: model.state.version,
        state: owned(model.liveState()) as unknown as Record<string, unknown>,
      };
    }
    return cached.state;
  };
  const read = (address: bigint, length: number): Uint8Array => {
    const bytes = model.read(address, length);
    if (bytes === undefined) throw new RangeError(`unmapped: 0x${address.toString(16)}+${length}`);
    return bytes;
  };
  const quiet: QuietRead = (address, length) => model.read(address, length);
  Object.defineProperty(read, readOrUndefined, { value: quiet });
  const pages: PagesInPlace = (address, length, visit) => model.visit(address, length, visit);
  Object.defineProperty(read, pagesInPlace, { value: pages });
  // The model never changes its arguments: the Replayer need not copy them (withOwnArgs).
  return harnessTarget({
    model,
    call(c) {
      const r = model.step(c.fn, c.args);
      const outcome: CallOutcome = {};
      if (r.ret !== undefined) outcome.ret = r.ret;
      if (r.out !== undefined) outcome.out = r.out;
      return outcome;
    },
    read,
    state,
    touched: () => model.touched(),
  });
}

/**
 * The model as a target, for a library user's own targets: its options are checked (a profile
 * other than "docs" or "reactos", a device a trace header could not hold, rejects with a
 * TypeError or RangeError naming the option; a device may be given in the trace header's
 * spelling or as DeviceConfig, in part), and its `call` throws a TypeError for a function the
 * call table does not have instead of answering nothing. createModelTargetSync, which the
 * harness uses with options it has validated, checks neither.
 */
export function createModelTarget(options: ModelTargetInput): Promise<ModelTarget> {
  let target: ModelTarget;
  try {
    target = createModelTargetSync(checkModelTargetOptions(options));
  } catch (e) {
    // A bad option rejects, never throws (STYLE lesson 5).
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return Promise.resolve(
    harnessTarget({
      ...target,
      call(c: TraceCallIn) {
        checkModelCall(c);
        return target.call(c);
      },
    }),
  );
}
