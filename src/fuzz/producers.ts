// Producers: when a coherent call needs an object that does not exist, the builder first runs
// the call that makes one (syzkaller's resource constructors), itself resolved and made
// coherent, so a fresh program reaches deep states (adapter → buffer → MDL → transfer →
// delivered list) without having to be lucky.
import { EXECUTE_DMA_ROUTINE, HW_DEVICE_EXTENSION, POOL_TAG } from '../core/constants.js';
import type { Value } from '../model/values.js';
import { FILL_DATA } from './fill.js';
import { BASE, lit, type AbsCall, type Slot } from './program.js';
import type { Need } from './resolve.js';

const ext = lit(HW_DEVICE_EXTENSION);
const live = (res: Extract<Slot, { s: 'live' }>['res'], pick: number): Slot => ({
  s: 'live',
  res,
  pick,
  place: BASE,
});

function call(fn: string, args: Record<string, Slot>): AbsCall {
  return { fn, args, coherent: true };
}

export function deviceDescription(scatterGather: boolean, maximumLength: number): Value {
  return { scatterGather, dma32BitAddresses: true, dma64BitAddresses: false, maximumLength };
}

/**
 * A produced common buffer's length: two pages, or (one time in three) a length that ends
 * inside its last page, so that the release a case pairs with it passes a length a port may
 * round (a leak there went unseen while every produced buffer was whole pages).
 */
const commonLength = (pick: number): number => (pick % 3 === 2 ? 0x1801 : 0x2000);

/** The call that creates what `need` names, varied by `pick`; undefined when none can. */
export function producerFor(need: Need, pick: number): AbsCall | undefined {
  switch (need) {
    case 'adapter':
      return call('VideoPortGetDmaAdapter', {
        hwDeviceExtension: ext,
        vpDeviceDescription: lit(deviceDescription(pick % 4 !== 3, 0x100000)),
      });
    case 'cpu':
    case 'pool':
      return call('VideoPortAllocatePool', {
        hwDeviceExtension: ext,
        poolType: lit(0),
        numberOfBytes: lit([0x3000, 0x1000, 0x8000][pick % 3] ?? 0x3000),
        tag: lit(POOL_TAG),
      });
    case 'mdl':
      return call('VideoPortLockBuffer', {
        hwDeviceExtension: ext,
        // A pool block, or (one time in three) a user buffer that needs no allocation.
        baseAddress: pick % 3 === 2 ? { s: 'user', off: 0 } : live('pool', pick),
        length: lit(0x8000),
        operation: lit(2),
      });
    case 'commonBuffer':
    case 'logical':
      return call('VideoPortAllocateCommonBuffer', {
        hwDeviceExtension: ext,
        vpDmaAdapter: live('adapter', pick),
        desiredLength: lit(commonLength(pick)),
        cacheEnabled: lit((pick & 1) === 1),
        reserved: lit(0n),
      });
    case 'legacyBuffer':
      return call('VideoPortGetCommonBuffer', {
        hwDeviceExtension: ext,
        desiredLength: lit(commonLength(pick)),
        alignment: lit(0),
        cacheEnabled: lit(false),
      });
    case 'event':
      return call('VideoPortCreateEvent', {
        hwDeviceExtension: ext,
        eventFlag: lit(pick % 4),
        unused: lit(0n),
      });
    case 'view':
      return call('VideoPortGetDeviceBase', {
        hwDeviceExtension: ext,
        ioAddress: { s: 'bus', space: 'memory', pick, place: BASE },
        numberOfUchars: lit(0x10000),
        inIoSpace: lit(0),
      });
    case 'buffer':
      return call('VideoPortAllocateBuffer', { hwDeviceExtension: ext, size: lit(0x1000) });
    case 'pending':
      return call('VideoPortStartDma', {
        hwDeviceExtension: ext,
        vpDmaAdapter: live('adapter', pick),
        mdl: live('mdl', pick),
        offset: lit(0),
        pLength: lit([0x3000, 0x1000, 0x100000][pick % 3] ?? 0x3000),
        executeDmaRoutine: lit(EXECUTE_DMA_ROUTINE),
        context: lit(0n),
        writeToDevice: lit((pick & 1) === 0),
      });
    case 'sgList':
      return call('@executeDma', { vpDmaAdapter: live('adapter', pick) });
    case 'fill':
      return call('@write', { va: { s: 'fill' }, data: lit(FILL_DATA) });
    default:
      return need.startsWith('dead:') ? destroyer(need.slice(5), pick) : undefined;
  }
}

/**
 * The call that frees a live object of `kind` (made first if none): what a hostile stale slot
 * asks for when the case freed nothing of its kind yet (a use-after-free needs a freed object).
 */
function destroyer(kind: string, pick: number): AbsCall | undefined {
  const one = (fn: string, arg: string, res: Extract<Slot, { s: 'live' }>['res']): AbsCall =>
    call(fn, { hwDeviceExtension: ext, [arg]: live(res, pick) });
  switch (kind) {
    case 'adapter':
      return one('VideoPortPutDmaAdapter', 'vpDmaAdapter', 'adapter');
    case 'mdl':
      return one('VideoPortUnlockBuffer', 'mdl', 'mdl');
    case 'event':
      return one('VideoPortDeleteEvent', 'pEvent', 'event');
    case 'pool':
      return one('VideoPortFreePool', 'ptr', 'pool');
    case 'view':
      return one('VideoPortFreeDeviceBase', 'mappedAddress', 'view');
    case 'buffer':
      return one('VideoPortReleaseBuffer', 'buffer', 'buffer');
    case 'sgList':
      return call('VideoPortCompleteDma', {
        hwDeviceExtension: ext,
        vpDmaAdapter: live('adapter', pick),
        vpScatterGather: live('sgList', pick),
        writeToDevice: lit(false),
      });
    case 'commonBuffer':
    case 'logical':
      return call('VideoPortReleaseCommonBuffer', {
        hwDeviceExtension: ext,
        vpDmaAdapter: live('adapter', pick),
        length: lit(0x2000),
        logicalAddress: live('logical', pick),
        virtualAddress: live('commonBuffer', pick),
        cacheEnabled: lit(false),
      });
    default:
      return undefined;
  }
}
