// Section E of the spec: the legacy PDMA family, obsolete and inert.
import {
  arg,
  consumes,
  DATA,
  inert,
  inIoSpaceValues,
  lengths,
  OPAQUE,
  out,
  pdmaArg,
} from './build.js';

export const LEGACY_CALLS = [
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
] as const;
