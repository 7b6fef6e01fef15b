// The functions a target does not implement (`--disable`, fuzzTarget's `disabled`), as the
// table names them, and what disabling them gives up: one reading for the command and the
// library.
import type { Result } from '../core/result.js';
import { CALLS, describe, producesObject } from '../model/calls.js';

/**
 * Names (each may be a comma-separated list; the VideoPort prefix optional) as table names,
 * sorted and once each; undefined for none. An unknown name, an event (the harness's own,
 * which every target handles), or a value naming no function at all ("", ","), which would
 * silently disable nothing, is an error naming it.
 */
export function disabledNames(values: readonly string[]): Result<string[] | undefined, string> {
  const names = new Set<string>();
  for (const v of values) {
    if (v.split(',').every((raw) => raw.trim() === ''))
      return {
        ok: false,
        error: `expected function names (comma-separated), got ${JSON.stringify(v)}`,
      };
    for (const raw of v.split(',')) {
      const t = raw.trim();
      if (t === '') continue;
      if (t.startsWith('@'))
        return { ok: false, error: `${t} is an event, not a function a target may lack` };
      const fn = describe(t) !== undefined ? t : `VideoPort${t}`;
      if (describe(fn) === undefined)
        return { ok: false, error: `unknown function "${t}" (see docs/calls.md)` };
      names.add(fn);
    }
  }
  return { ok: true, value: names.size === 0 ? undefined : [...names].sort() };
}

/** The functions that create something later calls use: a handle, a mapping, a buffer. */
/** Events are left out: they are the environment's, never --disable'd. */
export const CREATING_FNS: readonly string[] = CALLS.filter(
  (c) => c.family !== 'event' && producesObject(c),
).map((c) => c.fn);

/**
 * What a run with these functions disabled gives up, one line each (the command prints them
 * after "--disable: ", the library returns them after "disabled: "): the property the tool
 * exists to prove, or every object a case could create. The run still goes on.
 */
export function disabledWarnings(disabled: readonly string[]): string[] {
  const off = new Set(disabled);
  const warnings: string[] = [];
  if (off.has('VideoPortMapDmaMemory'))
    warnings.push(
      'VideoPortMapDmaMemory is never called, so the fuzzer does not check the MapDmaMemory property (NULL returned, nothing changed)',
    );
  if (CREATING_FNS.every((fn) => off.has(fn)))
    warnings.push(
      'no function that creates an object is left (an adapter, buffer, MDL, mapping or event): generated cases have nothing live to use or check',
    );
  return warnings;
}
