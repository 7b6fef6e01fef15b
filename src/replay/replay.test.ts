import { describe, expect, it } from 'vitest';
import { resolveDevice, type DeviceSpec } from '../model/device.js';
import type { Args, CallOutcome, Struct, TraceCall } from '../model/values.js';
import type { TraceHeader } from '../trace/trace.js';
import { kitchenSink, KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { createModelTargetSync } from './modelTarget.js';
import { createMutantTarget, MUTANTS } from './mutants.js';
import { parseText } from '../trace/textParse.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';
import { VIOLATION_KINDS } from './violation.js';

const header = (device: DeviceSpec = KITCHEN_DEVICE): TraceHeader => ({
  format: 'vpdma-trace',
  version: 1,
  profile: 'docs',
  device,
  meta: {},
});
const device = resolveDevice(KITCHEN_DEVICE);

describe('replayTrace against correct targets', () => {
  it.each([
    [true, 'default'],
    [true, 'alternate'],
    [false, 'default'],
    [false, 'alternate'],
  ] as const)('captured=%s, target layout %s: no violations', async (captured, layout) => {
    const target = createModelTargetSync({ device, profile: 'docs', layout });
    const r = await replayTrace(header(), kitchenSink(captured), target);
    expect(r.violations).toEqual([]);
    expect(r.outcome).toBe('pass');
    expect(r.calls).toBe(kitchenSink().length);
    // The trace ends with a double FreePool: the oracle stops comparing there, and says why.
    expect(r.detachedBy).toBe('misuse');
  });

  it('refuses a call of a function it does not know, rather than pass a trace that never ran', async () => {
    const target = createModelTargetSync({ device, profile: 'docs' });
    const typo = { fn: 'VideoPortMapDmaMemroy', args: {} };
    await expect(replayTrace(header(), [typo], target)).rejects.toThrow(
      /^Replayer\.step: unknown function "VideoPortMapDmaMemroy" at call 0 \(validate calls built in code with validateCall\)$/,
    );
  });

  it('checks a captured trace against the oracle and reports what it recorded wrongly', async () => {
    const calls = kitchenSink(true);
    const i = calls.findIndex((c) => c.fn === 'VideoPortStartDma');
    const tampered: TraceCall[] = calls.map((c, k) =>
      k === i ? { ...c, out: { pLength: 0x8000 } } : c,
    );
    const r = await replayTrace(
      header(),
      tampered,
      createModelTargetSync({ device, profile: 'docs' }),
    );
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({
      kind: 'recorded-mismatch',
      fn: 'VideoPortStartDma',
      callIndex: i,
      field: 'out.pLength',
    });
  });

  it('does not judge what a capture recorded for a call the documentation forbids', async () => {
    // CompleteDma with no transfer started is misuse: its answer is undefined, so a recorded
    // 87 against the oracle's chosen 0 says nothing (and nothing after it is compared either).
    const text = [
      '#! vpdma-trace v1 profile=docs',
      'VideoPortCompleteDma(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=0x0, vpScatterGather=0x0, writeToDevice=true) -> 87',
      'VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=0, tag=1) -> 0x1234',
    ].join('\n');
    const parsed = parseText(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const target = createModelTargetSync({ device, profile: 'docs' });
    const r = await replayTrace(parsed.value.header, parsed.value.calls, target);
    expect(r.violations).toEqual([]);
    expect(r.detachedBy).toBe('misuse');
    // The same recorded value on a call that is not misuse is a mismatch.
    const [, pool] = parsed.value.calls;
    const alone = await replayTrace(parsed.value.header, [pool as TraceCall], target);
    expect(alone.violations.map((v) => [v.kind, v.field])).toEqual([['recorded-mismatch', 'ret']]);
  });

  it('reports a ReactOS-profile target against the docs oracle where ReactOS differs', async () => {
    const r = await replayTrace(
      header(),
      kitchenSink(),
      createModelTargetSync({ device, profile: 'reactos' }),
    );
    expect(r.violations.map((v) => [v.kind, v.fn, v.field])).toEqual([
      ['return-mismatch', 'VideoPortStartDma', 'ret'],
      ['out-param-mismatch', 'VideoPortStartDma', 'out.pLength'],
    ]);
    expect(r.detachedBy).toBe('divergence');
  });
});

describe('an out-parameter two oracle objects share in the target', () => {
  // ReactOS hands GetDeviceBase and MapMemory of one range the same view, so one target
  // address stands for two oracle ones; a request packet the target hands back unchanged must
  // not read as written (fuzzing model:reactos found it as map-dma-wrote-out-param).
  const text = [
    '#! vpdma-trace v1 profile=docs',
    'VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)',
    'VideoPortMapMemory(hwDeviceExtension=0xffffe00000001000, physicalAddress=0xe0000000, length=4096, inIoSpace=0, virtualAddress=0x0)',
    'VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x0, inputBufferLength=0, outputBuffer=0xffffc00000000000, outputBufferLength=0}, boardAddress=0xe0000000, length=4096, inIoSpace=0, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0x0)',
    '',
  ].join('\n');

  it.each(['reactos', 'docs'] as const)('is not a write (target profile %s)', async (profile) => {
    const t = parseText(text);
    if (!t.ok) throw new Error(t.error.message);
    const dev = resolveDevice(t.value.header.device);
    const r = await replayTrace(
      t.value.header,
      t.value.calls,
      createModelTargetSync({ device: dev, profile }),
    );
    expect(r.violations).toEqual([]);
  });

  it.each(['reactos', 'docs'] as const)(
    'while a target that does write it is still caught (target profile %s)',
    async (profile) => {
      const t = parseText(text);
      if (!t.ok) throw new Error(t.error.message);
      const model = createModelTargetSync({
        device: resolveDevice(t.value.header.device),
        profile,
      });
      const writing: Target = {
        ...model,
        call: (c) => {
          const o = model.call(c);
          if (c.fn !== 'VideoPortMapDmaMemory') return o;
          const pVrp = { ...(c.args['pVrp'] as Struct), outputBuffer: 0n };
          return { ...o, out: { ...o.out, pVrp } };
        },
      };
      const r = await replayTrace(t.value.header, t.value.calls, writing);
      expect(r.violations.map((v) => [v.kind, v.field])).toEqual([
        ['map-dma-wrote-out-param', 'out.pVrp.outputBuffer'],
      ]);
      // The member written, not two whole request packets.
      expect(r.violations[0]?.message).toMatch(
        /^VideoPortMapDmaMemory wrote pVrp\.outputBuffer: 0x[0-9a-f]+ became NULL$/,
      );
    },
  );
});

describe('an out-only parameter a target reports success without writing', () => {
  // CreateEvent answering NO_ERROR but no *ppEvent: left out of the answer, or handed back
  // as the poison it came with, it is no event, and the miss is at that call.
  it.each([
    [
      'left out',
      (o: Args): Args => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'ppEvent')),
    ],
    ['the poison', (o: Args): Args => ({ ...o, ppEvent: 0xccccccccccccccccn })],
  ])('%s: out-param-mismatch at CreateEvent', async (_how, rewrite) => {
    const model = createModelTargetSync({ device, profile: 'docs' });
    const lying: Target = {
      ...model,
      call: (c) => {
        const o = model.call(c);
        return c.fn === 'VideoPortCreateEvent' ? { ...o, out: rewrite(o.out ?? {}) } : o;
      },
    };
    const calls = kitchenSink();
    const r = await replayTrace(header(), calls, lying);
    const at = calls.findIndex((c) => c.fn === 'VideoPortCreateEvent');
    expect(r.violations[0]).toMatchObject({
      kind: 'out-param-mismatch',
      fn: 'VideoPortCreateEvent',
      callIndex: at,
      field: 'out.ppEvent',
    });
  });
});

describe('replayTrace finds every bundled mutant as its own violation kind', () => {
  it.each(MUTANTS.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const target: Target = createMutantTarget(m, { device, profile: 'docs' });
    const r = await replayTrace(header(), kitchenSink(), target, { callTimeoutMs: 200 });
    expect(r.violations[0]?.kind).toBe(m.kind);
    expect(r.outcome).toBe(
      m.kind === 'target-crashed' ? 'crash' : m.kind === 'target-timeout' ? 'timeout' : 'fail',
    );
  });

  it('covers every violation kind a target can cause', () => {
    const kinds = new Set(MUTANTS.map((m) => m.kind));
    // recorded-mismatch is about a captured trace, not a target: tested above.
    for (const k of VIOLATION_KINDS.filter((kind) => kind !== 'recorded-mismatch')) {
      expect(kinds.has(k), k).toBe(true);
    }
  });
});

/** The same target, minus the optional touched(): the harness must read everything itself. */
function withoutTouched(t: Target): Target {
  return { call: (c) => t.call(c), read: (a, n) => t.read(a, n), state: () => t.state?.() ?? {} };
}

describe('memory checks without touched()', () => {
  it('finds a corrupted byte by full before/after comparison, and finds nothing in a correct target', async () => {
    const clean = withoutTouched(createModelTargetSync({ device, profile: 'docs' }));
    expect((await replayTrace(header(), kitchenSink(), clean)).violations).toEqual([]);
    const m = MUTANTS.find((x) => x.name === 'mapdma-corrupts-common-buffer');
    if (m === undefined) throw new Error('mutant missing');
    const bad = withoutTouched(createMutantTarget(m, { device, profile: 'docs' }));
    const r = await replayTrace(header(), kitchenSink(), bad);
    expect(r.violations[0]).toMatchObject({
      kind: 'memory-corrupted',
      fn: 'VideoPortMapDmaMemory',
    });
    expect(r.violations[0]?.message).toContain('full comparison');
  });
});

describe('addresses in reports', () => {
  // A capture's buffers sit where the real system put them, the target's where it put them,
  // and the oracle allocates its own. A report names the byte as the target has it (what its
  // maintainer can look for), then as the trace has it (what the file names), never by the
  // oracle's number.
  it.each(['mapdma-corrupts-common-buffer', 'devicedma-drops-last-byte'])(
    "%s: names the byte by the target's address, then by the trace's",
    async (name) => {
      const m = MUTANTS.find((x) => x.name === name);
      if (m === undefined) throw new Error('mutant missing');
      const captured = kitchenSink(true, 'alternate');
      const mutant = createMutantTarget(m, { device, profile: 'docs' });
      const returned: bigint[] = [];
      const target: Target = {
        ...mutant,
        call: (c) => {
          const o = mutant.call(c) as CallOutcome;
          if (typeof o.ret === 'bigint' && o.ret !== 0n) returned.push(o.ret);
          return o;
        },
      };
      const r = await replayTrace(header(), captured, target);
      const v = r.violations.find((x) => x.kind.startsWith('memory-'));
      expect(v?.field).toMatch(/^0x[0-9a-f]+$/);
      // The target's: inside a buffer or view the target returned (at most 1 MiB long).
      const within = (at: bigint, bases: readonly bigint[]): boolean =>
        bases.some((base) => at >= base && at < base + 0x100000n);
      expect(within(BigInt(v?.field ?? 0), returned), v?.message).toBe(true);
      const traced = /\(trace (0x[0-9a-f]+)\)/.exec(v?.message ?? '')?.[1] ?? '0x0';
      expect(v?.message).toContain(`${v?.field} (trace ${traced})`);
      // The trace's: inside one its own calls returned.
      const recorded = captured.flatMap((c) =>
        typeof c.ret === 'bigint' && c.ret !== 0n ? [c.ret] : [],
      );
      const inTrace = within(BigInt(traced), recorded);
      expect(inTrace, v?.message).toBe(true);
    },
  );
});

describe('a target whose state() or touched() fails or lies', () => {
  const firstInert = kitchenSink().findIndex((c) => c.fn === 'VideoPortMapDmaMemory');
  const lie = (mode: string, async: boolean): Target => {
    const t = createModelTargetSync({ device, profile: 'docs' });
    const answer = <T>(v: () => T): (() => T | Promise<T>) =>
      async ? () => Promise.resolve().then(v) : v;
    const fail = (): never => {
      throw new Error(`${mode} says no`);
    };
    return {
      call: (c) => t.call(c),
      read: (address, length) => t.read(address, length),
      state:
        mode === 'state-throws'
          ? answer(fail)
          : mode === 'state-number'
            ? answer(() => 42 as never)
            : () => t.state?.() ?? {},
      touched:
        mode === 'touched-throws'
          ? answer(fail)
          : mode === 'touched-bad-range'
            ? answer(() => [{ address: 1n, length: -1 }])
            : mode === 'touched-not-array'
              ? answer(() => 'all of it' as never)
              : () => t.touched?.() ?? [],
    };
  };

  it.each([
    [
      'state-throws',
      firstInert,
      /^VideoPortMapDmaMemory: state\(\) threw Error: state-throws says no$/,
    ],
    [
      'state-number',
      firstInert,
      /^VideoPortMapDmaMemory: state\(\) answered the number 42, not an object$/,
    ],
    ['touched-throws', 0, /^\w+: touched\(\) threw Error: touched-throws says no$/],
    ['touched-bad-range', 0, /^\w+: touched\(\) answered a bad range at \[0\]: length is -1;/],
    ['touched-not-array', 0, /^\w+: touched\(\) answered the string "all of it", not an array$/],
  ])('%s: target-crashed at the call it failed on, nothing thrown', async (mode, at, message) => {
    for (const async of [false, true]) {
      const r = await replayTrace(header(), kitchenSink(), lie(mode, async));
      expect(r.outcome).toBe('crash');
      expect(r.violations).toHaveLength(1);
      expect(r.violations[0]).toMatchObject({ kind: 'target-crashed', callIndex: at });
      expect(r.violations[0]?.message).toMatch(message);
      // The call it names is the one the violation is at.
      expect(r.violations[0]?.message.startsWith(`${r.violations[0]?.fn}: `)).toBe(true);
    }
  });
});

describe('a module target that answers values of the wrong JavaScript type', () => {
  // Each would otherwise be neither learned nor compared: a trace that passes silently.
  const liar = (fn: string, change: (o: { ret?: unknown; out?: unknown }) => unknown): Target => {
    const t = createModelTargetSync({ device, profile: 'docs' });
    return {
      call: (c) => {
        const o = t.call(c) as { ret?: unknown; out?: unknown };
        return (c.fn === fn ? change(o) : o) as never;
      },
      read: (address, length) => t.read(address, length),
    };
  };
  const calls = kitchenSink();
  it.each([
    [
      'VideoPortGetDeviceBase',
      (o: object) => ({ ...o, ret: 'garbage' }),
      /ret is the string "garbage", not a bigint \(ptr\)/,
    ],
    [
      'VideoPortAllocateCommonBuffer',
      (o: object) => ({ ...o, ret: 5 }),
      /ret is the number 5, not a bigint/,
    ],
    [
      'VideoPortAllocateCommonBuffer',
      (o: { out?: unknown }) => ({ ...o, out: { ...(o.out as object), logicalAddress: 'nope' } }),
      /out\.logicalAddress is the string "nope"/,
    ],
    [
      'VideoPortAllocateCommonBuffer',
      (o: { ret?: unknown }) => ({ ret: o.ret, out: { logicalAdress: 0x1000n } }),
      /answered out\.logicalAdress, which is not an out-parameter of VideoPortAllocateCommonBuffer \(its out-parameters: logicalAddress\)/,
    ],
    ['VideoPortMapDmaMemory', (o: object) => ({ ...o, ret: 'x' }), /ret is the string "x"/],
    ['VideoPortMapDmaMemory', () => null, /answered null, not an outcome object/],
    [
      'VideoPortGetBytesUsed',
      (o: object) => ({ ...o, ret: 1.5 }),
      /ret is the number 1\.5, not an integer number/,
    ],
  ] as const)('%s, case %#: target-crashed at that call', async (fn, change, message) => {
    const at = calls.findIndex((c) => c.fn === fn);
    expect(at).toBeGreaterThanOrEqual(0);
    const r = await replayTrace(header(), calls, liar(fn, change));
    expect(r.outcome).toBe('crash');
    expect(r.violations.at(-1)).toMatchObject({ kind: 'target-crashed', callIndex: at });
    expect(r.violations.at(-1)?.message).toMatch(message);
  });
});

describe('a module target whose read() answers garbage', () => {
  const reader = (answer: (bytes: Uint8Array) => unknown): Target => {
    const t = createModelTargetSync({ device, profile: 'docs' });
    return {
      call: (c) => t.call(c),
      read: (address, length) => answer(t.read(address, length)) as never,
    };
  };
  it.each([
    [
      'one byte short',
      (b: Uint8Array) => b.subarray(1),
      /a read of (\d+) bytes answered (?!\1)\d+ bytes/,
    ],
    ['a string', () => 'bytes', /answered the string "bytes", not a Uint8Array of that length/],
    ['a plain array', (b: Uint8Array) => [...b], /answered an array, not a Uint8Array/],
  ] as const)('%s: target-crashed, not a memory difference', async (_what, answer, message) => {
    const r = await replayTrace(header(), kitchenSink(), reader(answer));
    expect(r.outcome).toBe('crash');
    expect(r.violations.map((v) => v.kind)).toEqual(['target-crashed']);
    expect(r.violations[0]?.message).toMatch(message);
  });
});
