// Addressing one argument, or one field of a structure argument, by a path: "mdl" or
// "pVrp.inputBuffer". Copy-on-write updates, so a linked trace is never changed.
import type { Args, Struct, Value } from '../model/values.js';
import { isStruct } from '../model/values.js';

export function splitPath(path: string): [string, string | undefined] {
  const dot = path.indexOf('.');
  return dot < 0 ? [path, undefined] : [path.slice(0, dot), path.slice(dot + 1)];
}

/** A copy of args with the value at path replaced (deleted when value is undefined). */
export function setArg(args: Args, path: string, value: Value | undefined): Args {
  const [name, field] = splitPath(path);
  const copy: Record<string, Value> = { ...args };
  if (field === undefined) {
    if (value === undefined) delete copy[name];
    else copy[name] = value;
    return copy;
  }
  const s = args[name];
  const scalar =
    typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean';
  if (!isStruct(s) || !scalar) return copy;
  const struct: Record<string, Struct[string]> = { ...s };
  struct[field] = value;
  copy[name] = struct;
  return copy;
}

/** Whether an edit at `outer` replaces the value at `inner` too ("pVrp" covers "pVrp.x"). */
export function covers(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}.`);
}
