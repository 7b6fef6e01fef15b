// createModelTarget, the library API: options checked like a trace header, one-line errors
// naming the option, and a call the table does not have refused rather than answered with {}.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE, resolveDevice } from '../model/device.js';
import { KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { createModelTarget, type ModelTargetOptions } from './modelTarget.js';

/** A user's JavaScript may pass anything. */
const make = (options: unknown) => createModelTarget(options as ModelTargetOptions);
const getMdl = { fn: 'VideoPortGetMdl', args: { hwDeviceExtension: 1n, pDma: 0x1234n } };
const oneLine = /^createModelTarget: [^\n]+$/;

describe('createModelTarget options', () => {
  it('takes a partial device as a header spells it, and no profile, as its types say', async () => {
    // Compiles under strict TypeScript (npm test type-checks the tests): the documented input.
    const partial = await createModelTarget({ device: { systemMemoryBytes: 1 << 24 } });
    expect(partial.model.state.reactos).toBe(false);
    const none = await createModelTarget({});
    expect(none.read(0xe0000000n, 4)).toEqual(new Uint8Array(4));
    // A header's optional fields, passed as they are (docs/library.md's example): undefined is
    // missing, under exactOptionalPropertyTypes too.
    const header: { device?: { systemMemoryBytes: number }; profile?: 'reactos' } = {};
    const given = await createModelTarget({ device: header.device, profile: header.profile });
    expect(given.model.state.reactos).toBe(false);
    expect(given.read(0xe0000000n, 4)).toEqual(new Uint8Array(4));
  });

  it.each([
    [undefined, TypeError, 'options: expected {device, profile}, got nothing'],
    [null, TypeError, 'options: expected {device, profile}, got null'],
    [{ device: {}, profile: 'foo' }, TypeError, 'profile: expected "docs" or "reactos", got "foo"'],
    [{ device: {}, profile: 'ReactOS' }, TypeError, 'profile: expected "docs" or "reactos"'],
    [{ device: {}, profile: 7 }, TypeError, 'profile: expected "docs" or "reactos", got 7'],
    [{ device: {}, profile: 'docs', layout: 'x' }, TypeError, 'layout: expected "default" or'],
    [{ device: 'big', profile: 'docs' }, TypeError, 'device: expected an object, got "big"'],
    [
      { device: { systemMemoryBytes: -5 }, profile: 'docs' },
      RangeError,
      'device.systemMemoryBytes: expected an integer in [1, ',
    ],
    [
      { device: { dma: { mapRegisters: 1.5 } }, profile: 'docs' },
      RangeError,
      'device.dma.mapRegisters: expected an integer in',
    ],
    [
      { device: { dma: { scatterGather: 1 } }, profile: 'docs' },
      TypeError,
      'device.dma.scatterGather: expected true or false, got 1',
    ],
    [
      { device: { apertures: [{ name: 'fb', base: 'e0000000', length: 4096, space: 'memory' }] } },
      TypeError,
      'device.apertures[0].base: expected "0x...", got "e0000000"',
    ],
    [{ device: { ram: 1 }, profile: 'docs' }, TypeError, 'device.ram: unknown device field "ram"'],
    // A value of the wrong type is a TypeError, even where a number would be checked for range.
    [
      { device: { systemMemoryBytes: 'x' } },
      TypeError,
      'device.systemMemoryBytes: expected an integer in [1, 68719476736], got "x"',
    ],
    [
      { device: { dma: { mapRegisters: '64' } } },
      TypeError,
      'device.dma.mapRegisters: expected an integer in',
    ],
    [
      {
        device: {
          apertures: [{ name: 'fb', base: '0xe0000000', length: '4096', space: 'memory' }],
        },
      },
      TypeError,
      'device.apertures[0].length: expected an integer in',
    ],
    [
      { device: { systemMemoryBytes: NaN } },
      RangeError,
      'device.systemMemoryBytes: expected an integer in [1, ',
    ],
    [
      {
        device: {
          apertures: [{ name: 'hi', base: '0xffffffffffffff00', length: 4096, space: 'memory' }],
        },
      },
      RangeError,
      'device.apertures[0].length: aperture ends beyond 2^64',
    ],
  ])('refuses %j', async (options, type, message) => {
    const e: unknown = await make(options).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(type);
    expect((e as Error).message).toMatch(oneLine);
    expect((e as Error).message).toContain(`createModelTarget: ${message}`);
  });

  it('rejects rather than throws', () => {
    const p = make({ profile: 'nope' });
    expect(p).toBeInstanceOf(Promise);
    return expect(p).rejects.toThrow(TypeError);
  });

  it('takes what the harness gives, the profiles as they differ, and defaults', async () => {
    for (const device of [DEFAULT_DEVICE, resolveDevice(KITCHEN_DEVICE)]) {
      const t = await make({ device, profile: 'docs' });
      expect(t.model.state.device).toEqual(device);
    }
    expect((await make({ device: {}, profile: 'docs' })).call(getMdl)).toEqual({ ret: 0x1234n });
    expect((await make({ device: {}, profile: 'reactos' })).call(getMdl)).toEqual({ ret: 0n });
    expect((await make({})).call(getMdl)).toEqual({ ret: 0x1234n }); // docs, default device
  });

  it('takes a device in part, in the trace header spelling too', async () => {
    const fb = { name: 'fb', base: '0xd0000000', length: 65536, space: 'memory' };
    const t = await make({ device: { apertures: [fb] }, profile: 'docs' });
    expect(t.model.state.device.apertures).toEqual([{ ...fb, base: 0xd0000000n }]);
    expect(t.model.state.device.dma).toEqual(DEFAULT_DEVICE.dma);
  });
});

describe('createModelTarget call', () => {
  it('refuses a function the call table does not have, and a call that is not one', async () => {
    const t = await make({ device: {}, profile: 'docs' });
    expect(() => t.call({ fn: 'Nope', args: {} })).toThrow(
      new TypeError('createModelTarget: call: fn: unknown function "Nope"'),
    );
    expect(() => t.call(null as never)).toThrow(/^createModelTarget: call: expected \{fn, args\}/);
    expect(() => t.call({ fn: 'VideoPortGetMdl' } as never)).toThrow(
      /^createModelTarget: call: VideoPortGetMdl: args: expected an object, got nothing$/,
    );
    expect(t.call(getMdl)).toEqual({ ret: 0x1234n }); // and still answers the calls it has
  });
});
