// F. Memory mapping (spec §1 F): kernel and user views of the adapter's apertures.
import {
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_PARAMETER,
  ERROR_NOT_ENOUGH_MEMORY,
  NO_ERROR,
  ULONG_MAX,
  VIDEO_MEMORY_SPACE_IO,
  VIDEO_MEMORY_SPACE_P6CACHE,
  VIDEO_MEMORY_SPACE_USER_MODE,
} from '../../core/constants.js';
import { objectsMax, PAGE_SIZE } from '../../core/limits.js';
import { big, num } from '../args.js';
import { leaving, misuse, ok, OK, type StepResult } from '../result.js';
import type { ModelState, View } from '../state.js';
import type { Args } from '../values.js';

/** NtCurrentProcess(): what a user mapping without a handle lands in. */
export const CURRENT_PROCESS = 0xffffffffffffffffn;

interface MapRequest {
  readonly bus: bigint;
  readonly length: number;
  readonly io: boolean;
  readonly p6cache: boolean;
  /** 0 for a kernel view. */
  readonly process: bigint;
}

function inAperture(s: ModelState, r: MapRequest): boolean {
  if (r.length === 0) return false;
  return s.apertureOf(r.io ? 'io' : 'memory', r.bus, r.bus + BigInt(r.length)) >= 0;
}

/** ReactOS: same bus address and a long enough kernel mapping → refcount++ (spec §1 F). */
function reuseKernelView(s: ModelState, r: MapRequest): View | undefined {
  if (!s.reactos || r.process !== 0n) return undefined;
  // Its list is head-inserted, so the newest match wins.
  const views = [...s.views.values()];
  for (let i = views.length - 1; i >= 0; i--) {
    const v = views[i];
    if (v !== undefined && v.recorded && v.bus === r.bus && v.length >= r.length) {
      v.refcount++;
      s.bump();
      return v;
    }
  }
  return undefined;
}

/** Creates (or, for ReactOS kernel memory, reuses) a view; undefined at the object limit. */
function mapView(s: ModelState, r: MapRequest): View | undefined {
  const reused = reuseKernelView(s, r);
  if (reused !== undefined) return reused;
  if (s.views.size >= objectsMax) return undefined;
  const pageOff = Number(r.bus & 0xfffn);
  const bump = r.process === 0n ? s.viewVa : s.userViewVa;
  // ReactOS hands back the translated port number itself for I/O space (checked before
  // USER_MODE, so user requests get it too).
  const portIdentity = s.reactos && r.io;
  const va = portIdentity ? r.bus : bump.take(pageOff + r.length) + BigInt(pageOff);
  const existing = s.views.get(va);
  if (existing !== undefined) return existing.length >= r.length ? existing : grown(s, existing, r);
  const recorded = !s.reactos || (r.process === 0n && !r.io);
  const view: View = {
    va,
    length: r.length,
    space: r.io ? 'io' : 'memory',
    bus: r.bus,
    p6cache: r.p6cache,
    process: r.process,
    recorded,
    refcount: 1,
  };
  s.views.set(va, view);
  addViewRange(s, view);
  return view;
}

/** The CPU range a view answers reads and writes through: the bus range it maps. */
function addViewRange(s: ModelState, v: View): void {
  s.ranges.add({
    va: v.va,
    length: v.length,
    kind: v.process === 0n ? 'view' : 'userView',
    backing: { kind: 'linear', base: v.bus, space: v.space },
  });
  s.bump();
}

/**
 * ReactOS's port number again, for a longer request: its ports all answer (nothing is mapped,
 * READ_PORT reaches any of them), so the one view grows to the longer length rather than
 * keeping the first request's, under which the rest of the ports would read as unmapped.
 */
function grown(s: ModelState, v: View, r: MapRequest): View {
  const view: View = { ...v, length: r.length };
  s.views.set(v.va, view);
  s.ranges.remove(v.va);
  addViewRange(s, view);
  return view;
}

function unmapView(s: ModelState, v: View): void {
  s.views.delete(v.va);
  s.removeRange(v.va);
}

function aliasMismatch(s: ModelState, r: MapRequest): boolean {
  const end = r.bus + BigInt(r.length);
  // The caching test first: views that agree on it (nearly all) need no end computed.
  for (const v of s.views.values()) {
    if (
      v.p6cache !== r.p6cache &&
      v.space === (r.io ? 'io' : 'memory') &&
      v.bus < end &&
      r.bus < v.bus + BigInt(v.length)
    )
      return true;
  }
  return false;
}

export function getDeviceBase(s: ModelState, a: Args): StepResult {
  const flags = num(a['inIoSpace']);
  const user = s.reactos && (flags & VIDEO_MEMORY_SPACE_USER_MODE) !== 0;
  const r: MapRequest = {
    bus: big(a['ioAddress']),
    length: num(a['numberOfUchars']),
    io: (flags & VIDEO_MEMORY_SPACE_IO) !== 0,
    // ReactOS strips P6CACHE: write-combining is unsupported.
    p6cache: !s.reactos && (flags & VIDEO_MEMORY_SPACE_P6CACHE) !== 0,
    process: user ? CURRENT_PROCESS : 0n,
  };
  if (!inAperture(s, r)) return ok(r.length === 0 ? 'zero-length' : 'no-aperture', 0n);
  const mismatch = aliasMismatch(s, r);
  const view = mapView(s, r);
  if (view === undefined) return ok('limit', 0n);
  return mismatch ? misuse('p6cache-alias-mismatch', view.va) : ok(r.io ? 'io' : 'memory', view.va);
}

export function freeDeviceBase(s: ModelState, a: Args): StepResult {
  const va = big(a['mappedAddress']);
  const v = s.views.get(va);
  if (v !== undefined && v.process === 0n && v.recorded) {
    if (--v.refcount > 0) {
      s.bump();
      return ok('refcount');
    }
    unmapView(s, v);
    return OK;
  }
  // ReactOS never records a port "mapping", and the user-view fallback fails on it.
  if (s.reactos && v?.space === 'io') return ok('port-not-mapped');
  // ReactOS falls back to unmapping a user view at that address "in the current process"
  // (spec §1 F), so a view mapped into another process stays and counts as unknown.
  if (s.reactos && v !== undefined && v.process === CURRENT_PROCESS) {
    unmapView(s, v);
    return ok('fallback-user-unmap');
  }
  return misuse('free-unknown-base');
}

function mapRequestOf(s: ModelState, a: Args): MapRequest {
  const flags = num(a['inIoSpace']);
  const handle = big(a['virtualAddress']);
  const user = handle !== 0n || (flags & VIDEO_MEMORY_SPACE_USER_MODE) !== 0;
  return {
    bus: big(a['physicalAddress']),
    length: num(a['length']),
    io: (flags & VIDEO_MEMORY_SPACE_IO) !== 0,
    p6cache: !s.reactos && (flags & VIDEO_MEMORY_SPACE_P6CACHE) !== 0,
    process: user ? (handle === 0n ? CURRENT_PROCESS : handle) : 0n,
  };
}

// The docs promise *VirtualAddress and *Length only on success.
const NO_APERTURE = leaving(ok('no-aperture', ERROR_INVALID_PARAMETER), 'virtualAddress', 'length');
const LIMIT = leaving(ok('limit', ERROR_INVALID_PARAMETER), 'virtualAddress', 'length');

/**
 * ReactOS with `*Length` 0. Spec §1 F: the kernel mapping list is searched first ("same bus
 * address and length ≥ request → refcount++"), and "bus-translation failure → 8 (not 87);
 * failed MmMapIoSpace / user-view map → NO_ERROR with NULL VA". HalTranslateBusAddress takes
 * no length, so only the address must lie in an aperture; I/O answers the port number
 * ("nothing recorded"); a 0-byte MmMapIoSpace or user view is taken to fail.
 */
function reactosZeroLength(s: ModelState, r: MapRequest): StepResult {
  const reused = reuseKernelView(s, r);
  if (reused !== undefined) return ok('kernel', NO_ERROR, { virtualAddress: reused.va });
  if (s.apertureOf(r.io ? 'io' : 'memory', r.bus, r.bus + 1n) < 0)
    return ok('no-aperture', ERROR_NOT_ENOUGH_MEMORY, { virtualAddress: 0n });
  if (r.io) return ok('io', NO_ERROR, { virtualAddress: r.bus });
  return ok('zero-length', NO_ERROR, { virtualAddress: 0n });
}

export function mapMemory(s: ModelState, a: Args): StepResult {
  const r = mapRequestOf(s, a);
  if (s.reactos && r.length === 0) return reactosZeroLength(s, r);
  if (!inAperture(s, r)) {
    // ReactOS: bus translation failure is ERROR_NOT_ENOUGH_MEMORY and *VirtualAddress = NULL.
    if (s.reactos) return ok('no-aperture', ERROR_NOT_ENOUGH_MEMORY, { virtualAddress: 0n });
    return NO_APERTURE;
  }
  const view = mapView(s, r);
  if (view === undefined) {
    // ReactOS reports NO_ERROR with a NULL address when the mapping itself fails (a bug).
    return s.reactos ? ok('map-failed', NO_ERROR, { virtualAddress: 0n }) : LIMIT;
  }
  if (s.reactos)
    return ok(r.process === 0n ? 'kernel' : 'user', NO_ERROR, { virtualAddress: view.va });
  const pageOff = Number(r.bus & 0xfffn);
  const mapped = Math.ceil((pageOff + r.length) / PAGE_SIZE) * PAGE_SIZE - pageOff;
  return ok(r.process === 0n ? 'kernel' : 'user', NO_ERROR, {
    virtualAddress: view.va,
    // *Length is a ULONG: rounded up only while that fits ("maybe rounded up", spec §1 F).
    length: mapped > ULONG_MAX ? r.length : mapped,
  });
}

export function unmapMemory(s: ModelState, a: Args): StepResult {
  const va = big(a['virtualAddress']);
  if (s.reactos) {
    const v = s.views.get(va);
    if (v === undefined || v.space === 'io') return ok('not-found', NO_ERROR);
    if (v.recorded && --v.refcount > 0) {
      s.bump();
      return ok('refcount', NO_ERROR);
    }
    // Spec §1 F: "ProcessHandle ignored (current process used)": ZwUnmapViewOfSection in
    // the current process finds no view mapped into another one.
    if (!v.recorded && v.process !== CURRENT_PROCESS) return ok('other-process', NO_ERROR);
    unmapView(s, v);
    return ok('ok', NO_ERROR);
  }
  // Docs: ProcessHandle "should be set to zero, or to the process handle specified" at map
  // time (spec §1 F), so 0 releases any view; another handle must be the map-time one, where
  // a view mapped with USER_MODE and no handle is the current process's (NtCurrentProcess()).
  const process = big(a['processHandle']);
  for (const v of s.views.values()) {
    const matchesOwner = process === 0n || process === v.process;
    if (matchesOwner && va >= v.va && va < v.va + BigInt(v.length)) {
      unmapView(s, v); // an interior address releases the whole mapping
      return ok(va === v.va ? 'ok' : 'interior', NO_ERROR);
    }
  }
  return ok('not-found', ERROR_INVALID_PARAMETER);
}

export function mapBankedMemory(s: ModelState, a: Args): StepResult {
  if (s.reactos) return ok('unimplemented', ERROR_INVALID_FUNCTION);
  return mapMemory(s, a);
}
