// What a library user gives createModelTarget, checked (DESIGN.md: the package exports it for
// users who build their own targets). The harness builds targets only from validated headers;
// a user's code may pass anything, and a typo must not silently become the docs profile.
// Errors are thrown as Node's own API throws them: a TypeError for a value of the wrong type
// or not among those allowed, a RangeError for a number out of range; one line, naming the
// option.
import { oneLine } from '../core/oneLine.js';
import { describe as describeCall } from '../model/calls.js';
import {
  DEFAULT_PROFILE,
  isProfile,
  resolveDevice,
  type DeviceConfig,
  type Profile,
} from '../model/device.js';
import { validateDevice } from '../trace/header.js';
import { Bad } from '../trace/validateValue.js';
import { isPlainObject } from '../trace/structs.js';
import { describeValue } from '../trace/traceError.js';
import type { TraceCallIn } from './target.js';

export interface CheckedModelTargetOptions {
  readonly device: DeviceConfig;
  readonly profile: Profile;
  readonly layout: 'default' | 'alternate';
}

const WHO = 'createModelTarget';

function fail(make: new (m: string) => Error, option: string, message: string): never {
  throw new make(oneLine(`${WHO}: ${option}: ${message}`));
}

/**
 * `{device, profile, layout?}` checked: `device` as in a trace header (any subset of the
 * adapter, addresses as bigints or "0x..." strings; missing: the defaults), `profile` "docs"
 * (also when missing) or "reactos", `layout` "default" (also when missing) or "alternate".
 * Other keys are left alone: the harness may give a factory more than it reads.
 */
export function checkModelTargetOptions(options: unknown): CheckedModelTargetOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    fail(TypeError, 'options', `expected {device, profile}, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  const profile = o['profile'] ?? DEFAULT_PROFILE;
  if (typeof profile !== 'string' || !isProfile(profile))
    fail(TypeError, 'profile', `expected "docs" or "reactos", got ${describeValue(profile)}`);
  const layout = o['layout'] ?? 'default';
  if (layout !== 'default' && layout !== 'alternate')
    fail(TypeError, 'layout', `expected "default" or "alternate", got ${describeValue(layout)}`);
  const raw = o['device'] ?? {};
  if (!isPlainObject(raw))
    fail(TypeError, 'device', `expected an object, got ${describeValue(raw)}`);
  const spec = validateDevice(raw);
  if (spec instanceof Bad) {
    const option = spec.field === '' ? 'device' : `device.${spec.field}`;
    fail(spec.outOfRange ? RangeError : TypeError, option, spec.message);
  }
  return { device: resolveDevice(spec), profile, layout };
}

/** A call the model knows: `{fn, args}` with fn a function or event of the call table. */
export function checkModelCall(c: TraceCallIn): void {
  if (typeof c !== 'object' || c === null)
    fail(TypeError, 'call', `expected {fn, args}, got ${describeValue(c)}`);
  if (typeof c.fn !== 'string' || describeCall(c.fn) === undefined)
    fail(TypeError, 'call: fn', `unknown function ${describeValue(c.fn)}`);
  if (typeof c.args !== 'object' || c.args === null)
    fail(TypeError, `call: ${c.fn}: args`, `expected an object, got ${describeValue(c.args)}`);
}
