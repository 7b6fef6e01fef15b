// Builders for the call-description table: short constructors so each entry reads like the
// C signature it describes.
import { HW_DEVICE_EXTENSION } from '../../core/constants.js';
import type {
  ArgDesc,
  ArgRole,
  ArgType,
  CallDesc,
  OutDesc,
  Produces,
  ResourceKind,
} from '../callTypes.js';

export const consumes = (res: ResourceKind): ArgRole => ({ kind: 'consumes', res });
/** A consumed value whose object the call ends: freed, unlocked, put, deleted, completed. */
export const releases = (res: ResourceKind): ArgRole => ({ kind: 'consumes', res, releases: true });
export const OPAQUE: ArgRole = { kind: 'opaque' };
export const DATA: ArgRole = { kind: 'data' };

export function arg(
  name: string,
  type: ArgType,
  role: ArgRole,
  extra: Partial<ArgDesc> = {},
): ArgDesc {
  return { name, type, role, ...extra };
}
export const ext = arg('hwDeviceExtension', 'ptr', OPAQUE, { values: [HW_DEVICE_EXTENSION] });
export const adapterArg = arg('vpDmaAdapter', 'ptr', consumes('adapter'));
export const pdmaArg = (name: string): ArgDesc => arg(name, 'ptr', consumes('pdma'));
export const lengths = [0x1000, 0, 1, 0x40000, 0x40001, 0x100000, 0xffffffff];
export const inIoSpaceValues = [0, 1, 2, 3, 4, 8, 0xf, 0xffffffff];
export const produce = (res: Produces['res'], extent?: string): Produces =>
  extent === undefined ? { res } : { res, extent };
export const out = (name: string, type: ArgType, produces?: Produces): OutDesc =>
  produces === undefined ? { name, type } : { name, type, produces };

/** A table entry; its name stays a literal type, so the table's names are a type (CallName). */
export function call<F extends string>(
  desc: Omit<CallDesc, 'fn' | 'out' | 'weight' | 'obsolete'> &
    Partial<Omit<CallDesc, 'fn'>> & { readonly fn: F },
): CallDesc & { readonly fn: F } {
  return { out: [], weight: 10, obsolete: false, ...desc };
}
export const inert = <F extends string>(
  fn: F,
  args: readonly ArgDesc[],
  rest: Omit<Partial<CallDesc>, 'fn'> = {},
): CallDesc & { readonly fn: F } =>
  call({ fn, section: 'E', family: 'inert', obsolete: true, args: [ext, ...args], ...rest });
