// The vocabulary of the call-description table (calls.ts): argument types, the resources
// calls produce and consume, and the families the checks treat alike.

/**
 * Argument and result types. The JSONL spelling and in-memory value of each:
 * - ptr: "0x..." string → bigint (a pointer or handle; NULL is "0x0")
 * - u8 / u32 / i32: JSON number (or "0x..." string) → number, range-checked
 * - usize: SIZE_T, a non-negative safe integer → number
 * - u64: PHYSICAL_ADDRESS and other 64-bit bit patterns, "0x..." → bigint in [0, 2^64)
 * - i64: LARGE_INTEGER as a signed value, JSON number or "0x..." (two's complement) → bigint
 * - bool: BOOLEAN → boolean
 * - bytes: hex string → Uint8Array
 * - vrp / devdesc: structures (VIDEO_REQUEST_PACKET, VP_DEVICE_DESCRIPTION) or "0x0" for NULL
 * - sglist: array of {address: u64, length: u32} (the elements of a delivered SG list)
 */
export type ArgType =
  | 'ptr'
  | 'u8'
  | 'u32'
  | 'i32'
  | 'usize'
  | 'u64'
  | 'i64'
  | 'bool'
  | 'bytes'
  | 'vrp'
  | 'devdesc'
  | 'sglist';

/**
 * Kinds of implementation-defined values. Handles are opaque; cpu and device ranges have an
 * extent, so an address inside one translates by its offset (DESIGN.md "What the checks must
 * catch"). `cpu` consumers accept an address inside any live CPU range.
 */
export type ResourceKind =
  | 'adapter'
  | 'commonBuffer'
  | 'logical'
  | 'mdl'
  | 'sgList'
  | 'sgElement'
  | 'lockedList'
  | 'view'
  | 'userView'
  | 'event'
  | 'pool'
  | 'buffer'
  | 'contiguous'
  | 'pdma'
  | 'cpu';

export type AddressSpace = 'handle' | 'cpu' | 'device';

export const RESOURCE_SPACE: Readonly<Record<ResourceKind, AddressSpace>> = {
  adapter: 'handle',
  commonBuffer: 'cpu',
  logical: 'device',
  mdl: 'handle',
  sgList: 'handle',
  sgElement: 'device',
  lockedList: 'cpu',
  view: 'cpu',
  userView: 'cpu',
  event: 'handle',
  pool: 'cpu',
  buffer: 'cpu',
  contiguous: 'cpu',
  pdma: 'handle',
  cpu: 'cpu',
};

/**
 * What an argument means beyond its type:
 * - consumes: a value produced earlier (translated by the replayer, generated from live ones);
 *   `releases`: a call that takes effect ends that object's life (a free, unlock, put, delete)
 * - bus: a bus-relative address the device description fixes (never translated)
 * - opaque: a driver-side value passed through (device extension, routine, context, process)
 * - flags / length / enum: plain data, with generation hints in `values`
 */
export type ArgRole =
  | { readonly kind: 'consumes'; readonly res: ResourceKind; readonly releases?: true }
  | { readonly kind: 'bus'; readonly space: 'memory' | 'io' | 'any' }
  | { readonly kind: 'opaque' }
  | { readonly kind: 'data' };

export interface ArgDesc {
  readonly name: string;
  readonly type: ArgType;
  readonly role: ArgRole;
  /** PVOID* / PULONG parameters: the arg is the value on entry, `out` has it after. */
  readonly inout?: boolean;
  /** Out-only parameters may be omitted from args (DESIGN.md); they are poisoned on entry. */
  readonly outOnly?: boolean;
  /** May be absent from args (a NULL PLARGE_INTEGER, say). */
  readonly optional?: boolean;
  /** Interesting values for generation and minimization, most canonical first. */
  readonly values?: readonly (number | bigint | boolean)[];
}

/** A produced value: a handle, or a range whose extent comes from an arg or out field. */
export interface Produces {
  readonly res: ResourceKind;
  /**
   * Name of the arg (or out field, prefixed "out.") holding the range length; for a field of a
   * structure out-param, the name of a sibling field.
   */
  readonly extent?: string;
}

/**
 * How a defined value is compared with the oracle's: exactly, by zero/nonzero (the API
 * promises only "nonzero"), as a mapped length (at least the request, at most whole pages
 * from the start of the address's page: MapMemory's "*Length ... maybe rounded up"), or as the byte size of a
 * VP_SCATTER_GATHER_LIST for the request's input buffer (LockPages' OutputBufferLength: the
 * element count depends on physical layout, but is at least one and at most one per page).
 */
export type CompareRule = 'exact' | 'truthy' | 'mappedLength' | 'sgListBytes';

export interface RetDesc {
  readonly type: ArgType;
  readonly compare?: CompareRule;
  readonly produces?: Produces;
  /** A pointer return that echoes an input pointer (GetMdl returns pDma). */
  readonly echoes?: string;
}

export interface OutDesc {
  /** Name of the parameter (same as its arg name). */
  readonly name: string;
  readonly type: ArgType;
  readonly compare?: CompareRule;
  readonly produces?: Produces;
  /** For a structure out-param: fields that carry produced values. */
  readonly fieldProduces?: Readonly<Record<string, Produces>>;
  /** For a structure out-param: fields compared by a rule other than exact. */
  readonly fieldCompare?: Readonly<Record<string, CompareRule>>;
}

/**
 * - api: an ordinary VideoPort function, checked for conformance to the oracle
 * - inert: the obsolete PDMA family; must change nothing at all (DESIGN.md checks 1 to 3)
 * - event: an environment event (driver memory access, ExecuteDma callback, device DMA)
 */
export type Family = 'api' | 'inert' | 'event';

export type Section = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'env';

export interface CallDesc {
  readonly fn: string;
  readonly section: Section;
  readonly family: Family;
  readonly obsolete: boolean;
  /** Arguments in C signature order. */
  readonly args: readonly ArgDesc[];
  /** undefined for VOID. */
  readonly ret?: RetDesc;
  /** Out- and in/out parameters, recorded in `out` after the call. */
  readonly out: readonly OutDesc[];
  /** Where the ReactOS profile differs (spec §1–2), for `show`, docs and violation text. */
  readonly reactos?: string;
  /** Relative weight for generation before swarm adjustment. */
  readonly weight: number;
}
