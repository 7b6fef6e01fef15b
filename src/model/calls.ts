// The call-description table: every VideoPort function of spec §1–2 and every environment
// event, as data. Validation, the text printer/parser, generation, translation and
// minimization are all driven from here, so adding a function touches this file and its
// semantics in model/handlers.
import type {
  ArgDesc,
  ArgRole,
  ArgType,
  CallDesc,
  OutDesc,
  Produces,
  ResourceKind,
} from './callTypes.js';

const consumes = (res: ResourceKind): ArgRole => ({ kind: 'consumes', res });
const OPAQUE: ArgRole = { kind: 'opaque' };
const DATA: ArgRole = { kind: 'data' };

function arg(name: string, type: ArgType, role: ArgRole, extra: Partial<ArgDesc> = {}): ArgDesc {
  return { name, type, role, ...extra };
}
const ext = arg('hwDeviceExtension', 'ptr', OPAQUE, { values: [0xffffe00000001000n] });
const adapterArg = arg('vpDmaAdapter', 'ptr', consumes('adapter'));
const pdmaArg = (name: string): ArgDesc => arg(name, 'ptr', consumes('pdma'));
const lengths = [0x1000, 0, 1, 0x40000, 0x40001, 0x100000, 0xffffffff];
const inIoSpaceValues = [0, 1, 2, 3, 4, 8, 0xf, 0xffffffff];
const produce = (res: Produces['res'], extent?: string): Produces =>
  extent === undefined ? { res } : { res, extent };
const out = (name: string, type: ArgType, produces?: Produces): OutDesc =>
  produces === undefined ? { name, type } : { name, type, produces };

function call(desc: Omit<CallDesc, 'out' | 'weight' | 'obsolete'> & Partial<CallDesc>): CallDesc {
  return { out: [], weight: 10, obsolete: false, ...desc };
}
const inert = (fn: string, args: readonly ArgDesc[], rest: Partial<CallDesc> = {}): CallDesc =>
  call({ fn, section: 'E', family: 'inert', obsolete: true, args: [ext, ...args], ...rest });

export const CALLS: readonly CallDesc[] = [
  // A. Adapter objects
  call({
    fn: 'VideoPortGetDmaAdapter',
    section: 'A',
    family: 'api',
    args: [ext, arg('vpDeviceDescription', 'devdesc', DATA)],
    ret: { type: 'ptr', produces: produce('adapter') },
    reactos: 'a NULL description crashes; no adapter count limit',
  }),
  call({
    fn: 'VideoPortPutDmaAdapter',
    section: 'A',
    family: 'api',
    args: [ext, adapterArg],
    reactos: 'handle not validated: double put is a use-after-free',
    weight: 3,
  }),
  // B. Common buffers and contiguous memory
  call({
    fn: 'VideoPortAllocateCommonBuffer',
    section: 'B',
    family: 'api',
    args: [
      ext,
      adapterArg,
      arg('desiredLength', 'u32', DATA, { values: lengths }),
      arg('logicalAddress', 'u64', DATA, { outOnly: true }),
      arg('cacheEnabled', 'bool', DATA, { values: [false, true] }),
      arg('reserved', 'ptr', OPAQUE, { values: [0n] }),
    ],
    ret: { type: 'ptr', produces: produce('commonBuffer', 'desiredLength') },
    out: [out('logicalAddress', 'u64', produce('logical', 'desiredLength'))],
    reactos: 'NULL adapter returns NULL without writing *LogicalAddress',
  }),
  call({
    fn: 'VideoPortReleaseCommonBuffer',
    section: 'B',
    family: 'api',
    args: [
      ext,
      adapterArg,
      arg('length', 'u32', DATA, { values: lengths }),
      arg('logicalAddress', 'u64', consumes('logical')),
      arg('virtualAddress', 'ptr', consumes('commonBuffer')),
      arg('cacheEnabled', 'bool', DATA, { values: [false, true] }),
    ],
    reactos: 'silent for a NULL adapter; otherwise frees by address without validation',
    weight: 5,
  }),
  call({
    fn: 'VideoPortGetCommonBuffer',
    section: 'B',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('desiredLength', 'u32', DATA, { values: lengths }),
      arg('alignment', 'u32', DATA, { values: [0, 0x1000, 1, 0xffffffff] }),
      arg('logicalAddress', 'u64', DATA, { outOnly: true }),
      arg('pActualLength', 'u32', DATA, { outOnly: true }),
      arg('cacheEnabled', 'bool', DATA, { values: [false, true] }),
    ],
    ret: { type: 'ptr', produces: produce('commonBuffer', 'out.pActualLength') },
    out: [
      out('logicalAddress', 'u64', produce('logical', 'out.pActualLength')),
      out('pActualLength', 'u32'),
    ],
    reactos: 'NULL above 0x40000 bytes or before any GetDmaAdapter, *pActualLength unwritten',
    weight: 4,
  }),
  call({
    fn: 'VideoPortFreeCommonBuffer',
    section: 'B',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('length', 'u32', DATA, { values: lengths }),
      arg('virtualAddress', 'ptr', consumes('commonBuffer')),
      arg('logicalAddress', 'u64', consumes('logical')),
      arg('cacheEnabled', 'bool', DATA, { values: [false, true] }),
    ],
    reactos: 'uses the first adapter of the device; with none, an ASSERT (no graceful failure)',
    weight: 3,
  }),
  call({
    fn: 'VideoPortAllocateContiguousMemory',
    section: 'B',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('numberOfBytes', 'u32', DATA, { values: lengths }),
      arg('highestAcceptableAddress', 'u64', DATA, {
        values: [0xffffffffn, 0xffffffffffffffffn, 0xfffffn, 0n],
      }),
    ],
    ret: { type: 'ptr', produces: produce('contiguous', 'numberOfBytes') },
    weight: 2,
  }),
  // C. Buffer locking / MDLs
  call({
    fn: 'VideoPortLockBuffer',
    section: 'C',
    family: 'api',
    args: [
      ext,
      arg('baseAddress', 'ptr', consumes('cpu')),
      arg('length', 'u32', DATA, { values: lengths }),
      arg('operation', 'u32', DATA, { values: [2, 0, 1, 3] }),
    ],
    ret: { type: 'ptr', produces: produce('mdl') },
    reactos: 'no exception handling: an invalid buffer raises instead of returning NULL',
  }),
  call({
    fn: 'VideoPortUnlockBuffer',
    section: 'C',
    family: 'api',
    args: [ext, arg('mdl', 'ptr', consumes('mdl'))],
    reactos: 'NULL is a no-op; MDLs are untracked, so a double unlock is undefined',
    weight: 5,
  }),
  call({
    fn: 'VideoPortLockPages',
    section: 'C',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('pVrp', 'vrp', DATA, { inout: true }),
      arg('pUEvent', 'ptr', consumes('event')),
      arg('pDisplayEvent', 'ptr', consumes('event')),
      arg('dmaFlags', 'u32', DATA, { values: [3, 1, 2, 0, 4] }),
    ],
    ret: { type: 'bool' },
    out: [
      {
        name: 'pVrp',
        type: 'vrp',
        fieldProduces: { outputBuffer: produce('lockedList', 'outputBufferLength') },
        fieldCompare: { outputBufferLength: 'sgListBytes' },
      },
    ],
    reactos: 'NULLs OutputBuffer first; on success returns the MDL, not an SG list',
    weight: 3,
  }),
  call({
    fn: 'VideoPortUnlockPages',
    section: 'C',
    family: 'api',
    obsolete: true,
    args: [arg('hwDeviceExtension', 'ptr', OPAQUE), pdmaArg('pDma')],
    ret: { type: 'bool' },
    reactos: 'a stub returning FALSE (docs: always TRUE)',
    weight: 2,
  }),
  // D. Packet-based DMA
  call({
    fn: 'VideoPortStartDma',
    section: 'D',
    family: 'api',
    args: [
      ext,
      adapterArg,
      arg('mdl', 'ptr', consumes('mdl')),
      arg('offset', 'u32', DATA, { values: [0, 0x800, 0x1000, 0xffffffff] }),
      arg('pLength', 'u32', DATA, { inout: true, values: lengths }),
      arg('executeDmaRoutine', 'ptr', OPAQUE, { values: [0xfffff80000a01000n] }),
      arg('context', 'ptr', OPAQUE, { values: [0xffffe00000002000n, 0n] }),
      arg('writeToDevice', 'bool', DATA, { values: [true, false] }),
    ],
    ret: { type: 'u32' },
    out: [out('pLength', 'u32')],
    reactos: 'ignores Offset and *pLength, maps the whole MDL, leaves *pLength unwritten',
    weight: 12,
  }),
  call({
    fn: 'VideoPortCompleteDma',
    section: 'D',
    family: 'api',
    args: [
      ext,
      adapterArg,
      arg('vpScatterGather', 'ptr', consumes('sgList')),
      arg('writeToDevice', 'bool', DATA, { values: [true, false] }),
    ],
    ret: { type: 'u32' },
    weight: 12,
  }),
  // E. The legacy PDMA family: obsolete and inert.
  inert(
    'VideoPortDoDma',
    [pdmaArg('pDma'), arg('dmaFlags', 'u32', DATA, { values: [1, 2, 3, 0] })],
    {
      ret: { type: 'ptr' },
    },
  ),
  inert('VideoPortGetDmaContext', [pdmaArg('pDma')], { ret: { type: 'ptr' } }),
  inert('VideoPortSetDmaContext', [
    pdmaArg('pDma'),
    arg('instanceContext', 'ptr', OPAQUE, { values: [0n, 0xffffe00000002000n] }),
  ]),
  inert('VideoPortSignalDmaComplete', [pdmaArg('pDmaHandle')], { ret: { type: 'bool' } }),
  inert(
    'VideoPortAssociateEventsWithDmaHandle',
    [
      arg('pVrp', 'vrp', DATA, { inout: true }),
      arg('mappedUserEvent', 'ptr', consumes('event')),
      arg('displayDriverEvent', 'ptr', consumes('event')),
    ],
    { ret: { type: 'ptr' }, out: [out('pVrp', 'vrp')] },
  ),
  inert('VideoPortGetBytesUsed', [pdmaArg('pDma')], { ret: { type: 'u32' } }),
  inert('VideoPortSetBytesUsed', [
    pdmaArg('pDma'),
    arg('bytesUsed', 'u32', DATA, { values: [0, 0x1000, 0xffffffff] }),
  ]),
  inert('VideoPortGetMdl', [pdmaArg('pDma')], {
    ret: { type: 'ptr', echoes: 'pDma' },
    reactos: 'a stub returning NULL (docs: returns pDma)',
  }),
  inert(
    'VideoPortMapDmaMemory',
    [
      arg('pVrp', 'vrp', DATA, { inout: true }),
      arg('boardAddress', 'u64', { kind: 'bus', space: 'any' }),
      arg('length', 'u32', DATA, { inout: true, values: lengths }),
      arg('inIoSpace', 'u32', DATA, { inout: true, values: inIoSpaceValues }),
      arg('mappedUserEvent', 'ptr', consumes('event')),
      arg('displayDriverEvent', 'ptr', consumes('event')),
      arg('virtualAddress', 'ptr', consumes('cpu'), { inout: true }),
    ],
    {
      ret: { type: 'ptr' },
      out: [
        out('pVrp', 'vrp'),
        out('length', 'u32'),
        out('inIoSpace', 'u32'),
        out('virtualAddress', 'ptr'),
      ],
      weight: 30,
    },
  ),
  inert(
    'VideoPortUnmapDmaMemory',
    [
      arg('virtualAddress', 'ptr', consumes('cpu')),
      arg('processHandle', 'ptr', OPAQUE, { values: [0n, 0xffffffffffffffffn] }),
      pdmaArg('boardMemoryHandle'),
    ],
    { ret: { type: 'bool' }, weight: 15 },
  ),
  // F. Memory mapping
  call({
    fn: 'VideoPortGetDeviceBase',
    section: 'F',
    family: 'api',
    args: [
      ext,
      arg('ioAddress', 'u64', { kind: 'bus', space: 'any' }),
      arg('numberOfUchars', 'u32', DATA, { values: lengths }),
      arg('inIoSpace', 'u8', DATA, { values: [0, 1, 4, 8, 2] }),
    ],
    ret: { type: 'ptr', produces: produce('view', 'numberOfUchars') },
    reactos: 'strips P6CACHE; reuses a kernel mapping of the same bus address (refcounted)',
  }),
  call({
    fn: 'VideoPortFreeDeviceBase',
    section: 'F',
    family: 'api',
    args: [ext, arg('mappedAddress', 'ptr', consumes('view'))],
    reactos: 'unknown addresses fall back to unmapping a user view at that address',
    weight: 4,
  }),
  call({
    fn: 'VideoPortMapMemory',
    section: 'F',
    family: 'api',
    args: [
      ext,
      arg('physicalAddress', 'u64', { kind: 'bus', space: 'any' }),
      arg('length', 'u32', DATA, { inout: true, values: lengths }),
      arg('inIoSpace', 'u32', DATA, { values: inIoSpaceValues }),
      arg('virtualAddress', 'ptr', OPAQUE, { inout: true, values: [0n, 0xffffffffffffffffn] }),
    ],
    ret: { type: 'u32' },
    out: [
      { name: 'length', type: 'u32', compare: 'mappedLength' },
      out('virtualAddress', 'ptr', produce('view', 'length')),
    ],
    reactos: '*VirtualAddress always overwritten; *Length never updated; translation failure is 8',
  }),
  call({
    fn: 'VideoPortUnmapMemory',
    section: 'F',
    family: 'api',
    args: [
      ext,
      arg('virtualAddress', 'ptr', consumes('view')),
      arg('processHandle', 'ptr', OPAQUE, { values: [0n, 0xffffffffffffffffn] }),
    ],
    ret: { type: 'u32' },
    reactos: 'always NO_ERROR; exact base address only; ProcessHandle ignored',
    weight: 4,
  }),
  call({
    fn: 'VideoPortMapBankedMemory',
    section: 'F',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('physicalAddress', 'u64', { kind: 'bus', space: 'any' }),
      arg('length', 'u32', DATA, { inout: true, values: lengths }),
      arg('inIoSpace', 'u32', DATA, { inout: true, values: inIoSpaceValues }),
      arg('virtualAddress', 'ptr', OPAQUE, { inout: true, values: [0n] }),
      arg('bankLength', 'u32', DATA, { values: [0x10000, 0] }),
      arg('readWriteBank', 'u8', DATA, { values: [1, 0] }),
      arg('bankRoutine', 'ptr', OPAQUE, { values: [0xfffff80000a02000n] }),
      arg('context', 'ptr', OPAQUE, { values: [0n] }),
    ],
    ret: { type: 'u32' },
    out: [
      { name: 'length', type: 'u32', compare: 'mappedLength' },
      out('inIoSpace', 'u32'),
      out('virtualAddress', 'ptr', produce('view', 'length')),
    ],
    reactos: 'unimplemented: returns ERROR_INVALID_FUNCTION',
    weight: 2,
  }),
  // G. Pool helpers
  call({
    fn: 'VideoPortAllocatePool',
    section: 'G',
    family: 'api',
    args: [
      ext,
      arg('poolType', 'u32', DATA, { values: [0, 1, 4, 5] }),
      arg('numberOfBytes', 'usize', DATA, { values: [0x100, 0x1000, 0, 0x10000] }),
      arg('tag', 'u32', DATA, { values: [0x616d4456] }),
    ],
    ret: { type: 'ptr', produces: produce('pool', 'numberOfBytes') },
    weight: 6,
  }),
  call({
    fn: 'VideoPortFreePool',
    section: 'G',
    family: 'api',
    args: [ext, arg('ptr', 'ptr', consumes('pool'))],
    weight: 3,
  }),
  call({
    fn: 'VideoPortAllocateBuffer',
    section: 'G',
    family: 'api',
    obsolete: true,
    args: [
      ext,
      arg('size', 'u32', DATA, { values: [0x100, 0x1000, 0, 0xffffffff] }),
      arg('buffer', 'ptr', DATA, { outOnly: true }),
    ],
    ret: { type: 'u32' },
    out: [out('buffer', 'ptr', produce('buffer', 'size'))],
    reactos: '*Buffer always written (NULL on failure)',
    weight: 3,
  }),
  call({
    fn: 'VideoPortReleaseBuffer',
    section: 'G',
    family: 'api',
    obsolete: true,
    args: [ext, arg('buffer', 'ptr', consumes('buffer'))],
    weight: 2,
  }),
  // H. Events
  call({
    fn: 'VideoPortCreateEvent',
    section: 'H',
    family: 'api',
    args: [
      ext,
      arg('eventFlag', 'u32', DATA, { values: [0, 1, 2, 3] }),
      arg('unused', 'ptr', OPAQUE, { values: [0n] }),
      arg('ppEvent', 'ptr', DATA, { outOnly: true }),
    ],
    ret: { type: 'u32' },
    out: [out('ppEvent', 'ptr', produce('event'))],
    weight: 5,
  }),
  call({
    fn: 'VideoPortDeleteEvent',
    section: 'H',
    family: 'api',
    args: [ext, arg('pEvent', 'ptr', consumes('event'))],
    ret: { type: 'u32' },
    reactos: 'ERROR_INVALID_PARAMETER for a NULL event',
    weight: 3,
  }),
  call({
    fn: 'VideoPortSetEvent',
    section: 'H',
    family: 'api',
    args: [ext, arg('pEvent', 'ptr', consumes('event'))],
    ret: { type: 'i32', compare: 'truthy' },
    weight: 4,
  }),
  call({
    fn: 'VideoPortClearEvent',
    section: 'H',
    family: 'api',
    args: [ext, arg('pEvent', 'ptr', consumes('event'))],
    weight: 3,
  }),
  call({
    fn: 'VideoPortReadStateEvent',
    section: 'H',
    family: 'api',
    args: [ext, arg('pEvent', 'ptr', consumes('event'))],
    ret: { type: 'i32', compare: 'truthy' },
    weight: 3,
  }),
  call({
    fn: 'VideoPortWaitForSingleObject',
    section: 'H',
    family: 'api',
    args: [
      ext,
      arg('object', 'ptr', consumes('event')),
      arg('timeout', 'i64', DATA, { optional: true, values: [0n, -10000n] }),
    ],
    ret: { type: 'u32' },
    weight: 3,
  }),
  // Environment events: the driver touching memory, the port calling back, the device moving data.
  call({
    fn: '@write',
    section: 'env',
    family: 'event',
    args: [arg('va', 'ptr', consumes('cpu')), arg('data', 'bytes', DATA)],
    weight: 12,
  }),
  call({
    fn: '@read',
    section: 'env',
    family: 'event',
    args: [
      arg('va', 'ptr', consumes('cpu')),
      arg('length', 'u32', DATA, { values: [16, 1, 0x1000] }),
    ],
    ret: { type: 'bytes' },
    weight: 8,
  }),
  call({
    fn: '@executeDma',
    section: 'env',
    family: 'event',
    args: [adapterArg],
    out: [
      out('sgList', 'ptr', produce('sgList')),
      out('context', 'ptr'),
      {
        name: 'elements',
        type: 'sglist',
        fieldProduces: { address: produce('sgElement', 'length') },
      },
    ],
    weight: 12,
  }),
  call({
    fn: '@deviceDma',
    section: 'env',
    family: 'event',
    args: [
      arg('sgList', 'ptr', consumes('sgList')),
      arg('deviceAddress', 'u64', { kind: 'bus', space: 'memory' }),
    ],
    ret: { type: 'u32' },
    weight: 12,
  }),
];

const BY_NAME: ReadonlyMap<string, CallDesc> = new Map(CALLS.map((c) => [c.fn, c]));

export function describe(fn: string): CallDesc | undefined {
  return BY_NAME.get(fn);
}

/** The inert family: calls that must leave every byte and object exactly as they were. */
export const INERT_FNS: ReadonlySet<string> = new Set(
  CALLS.filter((c) => c.family === 'inert').map((c) => c.fn),
);

/** FNV-1a over the table's canonical JSON: changes whenever a description changes. */
export function tableRevision(): string {
  const text = JSON.stringify(CALLS, (_k, v: unknown) =>
    typeof v === 'bigint' ? `0x${v.toString(16)}` : v,
  );
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
