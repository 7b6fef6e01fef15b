// Environment events: the driver touching memory, the port calling back, the device moving data.
import { adapterArg, arg, call, consumes, DATA, out, produce } from './build.js';

export const ENVIRONMENT_CALLS = [
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
] as const;
