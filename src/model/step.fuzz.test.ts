// Random call sequences against the model: it never throws, it is deterministic, and the
// alternate layout (every handle and address different) takes the same branches. Calls are
// drawn from CALLS; arguments from the ArgDesc hints and from handles produced earlier, held
// abstractly ("the k-th adapter") so each model resolves them in its own address space.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALLS } from './calls.js';
import { RESOURCE_SPACE, type ArgDesc, type CallDesc, type ResourceKind } from './callTypes.js';
import { PROFILES, type Profile } from './device.js';
import type { AddressRange } from './liveState.js';
import { Model } from './model.js';
import type { Stepped } from './step.js';
import type { Struct, Value } from './values.js';

type Abs =
  | { readonly lit: Value }
  | { readonly res: ResourceKind; readonly index: number; readonly offset: bigint }
  | { readonly vrp: Abs; readonly length: number };

interface AbsCall {
  readonly fn: string;
  readonly args: Readonly<Record<string, Abs>>;
}

const BUS = [0xe0000000n, 0xe0001000n, 0xe0ff0000n, 0xf0000000n, 0x3c0n, 0x1000n];
const WILD = 0xffff800012345000n;
const lit = (v: Value): Abs => ({ lit: v });

function handleArb(res: ResourceKind): fc.Arbitrary<Abs> {
  const offsets = RESOURCE_SPACE[res] === 'handle' ? [0n] : [0n, 0n, 0x10n, 0xff8n, 0x1000n];
  const ref = fc.record({
    res: fc.constant(res),
    index: fc.nat(7),
    offset: fc.constantFrom(...offsets),
  });
  return fc.oneof({ arbitrary: ref, weight: 8 }, fc.constantFrom(lit(0n), lit(WILD)));
}

const lengthArb = fc.constantFrom(0, 1, 0x10, 0x1000, 0x1800, 0x3000, 0x40000);

function dataArb(a: ArgDesc): fc.Arbitrary<Value> {
  const generic = typeArb(a);
  if (a.values === undefined || a.values.length === 0) return generic;
  return fc.oneof({ arbitrary: fc.constantFrom(...a.values), weight: 3 }, generic);
}

function typeArb(a: ArgDesc): fc.Arbitrary<Value> {
  switch (a.type) {
    case 'bytes':
      return fc.uint8Array({ minLength: 0, maxLength: 40 });
    case 'devdesc':
      return fc.oneof(
        fc.constant(0n),
        fc.record({
          scatterGather: fc.boolean(),
          dma32BitAddresses: fc.constant(true),
          dma64BitAddresses: fc.boolean(),
          maximumLength: fc.constantFrom(0, 0x1000, 0x2000, 0x10000, 0x100000),
        }),
      );
    case 'bool':
      return fc.boolean();
    case 'ptr':
    case 'u64':
    case 'i64':
      return fc.constantFrom(0n, 0x1234n);
    case 'u8':
      return fc.constantFrom(0, 1, 2, 8, 0xff);
    case 'usize':
    case 'u32':
      return fc.oneof(lengthArb, fc.constantFrom(0x800, 0x2001, 0xffffffff));
    default:
      return fc.constantFrom(0, 1, -1);
  }
}

function argArb(a: ArgDesc): fc.Arbitrary<Abs> {
  if (a.role.kind === 'consumes') return handleArb(a.role.res);
  if (a.role.kind === 'bus') return fc.constantFrom(...BUS).map(lit);
  if (a.type === 'vrp')
    return fc.oneof(fc.constant(lit(0n)), fc.record({ vrp: handleArb('cpu'), length: lengthArb }));
  return dataArb(a).map(lit);
}

function callArb(c: CallDesc): fc.Arbitrary<AbsCall> {
  const fields: Record<string, fc.Arbitrary<Abs | undefined>> = {};
  for (const a of c.args) {
    const arb = argArb(a);
    fields[a.name] = a.outOnly || a.optional ? fc.option(arb, { nil: undefined }) : arb;
  }
  return fc.record(fields).map((raw) => {
    const args: Record<string, Abs> = {};
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) args[k] = v;
    return { fn: c.fn, args };
  });
}

const anyCallArb = fc.oneof(...CALLS.map((c) => ({ arbitrary: callArb(c), weight: c.weight })));

const ref = (res: ResourceKind, index = 0, offset = 0n): Abs => ({ res, index, offset });
const FB = 0xe0000000n;

/** A driver's usual start, so random calls find live objects to work on. */
const PREFIX: readonly AbsCall[] = [
  { fn: 'VideoPortGetDmaAdapter', args: { vpDeviceDescription: lit(desc(true, 0x100000)) } },
  { fn: 'VideoPortGetDmaAdapter', args: { vpDeviceDescription: lit(desc(false, 0x10000)) } },
  { fn: 'VideoPortAllocatePool', args: { poolType: lit(0), numberOfBytes: lit(0x3000) } },
  {
    fn: 'VideoPortLockBuffer',
    args: { baseAddress: ref('pool'), length: lit(0x3000), operation: lit(2) },
  },
  {
    fn: 'VideoPortAllocateCommonBuffer',
    args: { vpDmaAdapter: ref('adapter'), desiredLength: lit(0x2000), cacheEnabled: lit(false) },
  },
  {
    fn: 'VideoPortGetDeviceBase',
    args: { ioAddress: lit(FB), numberOfUchars: lit(0x100000), inIoSpace: lit(0) },
  },
  {
    fn: 'VideoPortMapMemory',
    args: {
      physicalAddress: lit(FB),
      length: lit(0x10000),
      inIoSpace: lit(0),
      virtualAddress: lit(0x2a4n),
    },
  },
  { fn: 'VideoPortCreateEvent', args: { eventFlag: lit(0) } },
];

function desc(scatterGather: boolean, maximumLength: number): Struct {
  return { scatterGather, dma32BitAddresses: true, dma64BitAddresses: false, maximumLength };
}

const sequenceArb = fc
  .array(anyCallArb, { minLength: 1, maxLength: 80, size: 'max' })
  .map((calls) => [...PREFIX, ...calls]);

interface Ran {
  readonly stepped: Stepped;
  /** Whether version() moved. */
  readonly changed: boolean;
  readonly touched: readonly AddressRange[];
}

/** One model plus the values it produced, by kind, in production order. */
class Runner {
  readonly model: Model;
  private readonly produced = new Map<ResourceKind, bigint[]>();

  constructor(profile: Profile, layout: 'default' | 'alternate') {
    this.model = new Model({ profile, layout });
  }

  run(calls: readonly AbsCall[]): Ran[] {
    return calls.map((c) => {
      const args: Record<string, Value> = {};
      for (const [k, v] of Object.entries(c.args)) args[k] = this.resolve(v);
      const before = this.model.version();
      const stepped = this.model.step(c.fn, args);
      this.learn(c.fn, stepped);
      const changed = this.model.version() !== before;
      return { stepped, changed, touched: this.model.touched() };
    });
  }

  private resolve(v: Abs): Value {
    if ('lit' in v) return v.lit;
    if ('vrp' in v) {
      const input = this.resolve(v.vrp) as bigint;
      const packet: Struct = {
        ioControlCode: 0x232000,
        statusBlock: 0n,
        inputBuffer: input,
        inputBufferLength: v.length,
        outputBuffer: input,
        outputBufferLength: v.length,
      };
      return packet;
    }
    const list = this.produced.get(v.res) ?? [];
    const base = list[v.index % Math.max(1, list.length)];
    return base === undefined ? 0n : base + v.offset;
  }

  private push(res: ResourceKind, v: Value | undefined): void {
    if (typeof v !== 'bigint' || v === 0n) return;
    for (const kind of RESOURCE_SPACE[res] === 'cpu' ? [res, 'cpu' as const] : [res]) {
      const list = this.produced.get(kind) ?? [];
      list.push(v);
      this.produced.set(kind, list);
    }
  }

  private learn(fn: string, got: Stepped): void {
    const c = CALLS.find((x) => x.fn === fn);
    if (c?.ret?.produces !== undefined) this.push(c.ret.produces.res, got.ret);
    for (const o of c?.out ?? []) {
      const v = got.out?.[o.name];
      if (o.produces !== undefined) this.push(o.produces.res, v);
      for (const [field, p] of Object.entries(o.fieldProduces ?? {})) {
        const items = Array.isArray(v) ? (v as readonly Struct[]) : v === undefined ? [] : [v];
        for (const item of items) this.push(p.res, (item as Struct)[field]);
      }
    }
  }
}

/** What must agree across layouts: branches, misuse, defined values; pointers by NULL-ness. */
function shape(v: Value | undefined): unknown {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v === 0n ? 'NULL' : 'ptr';
  if (v instanceof Uint8Array) return `bytes:${v.length}`;
  if (Array.isArray(v)) return (v as readonly Struct[]).map((e) => shape(e));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Struct)) out[k] = shape(x);
    return out;
  }
  return v;
}

function shapeOf({ stepped: s, changed }: Ran): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.out ?? {})) out[k] = shape(v);
  return { branch: s.branch, misuse: s.misuse, ret: shape(s.ret), out, changed };
}

/** A canonical text of any value (bigint and bytes spelled out): cheap exact comparison. */
function text(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === 'bigint' ? `0x${x.toString(16)}` : x instanceof Uint8Array ? [...x] : x,
  );
}

describe.each(PROFILES)('random call sequences (%s)', (profile) => {
  it('never throw, are deterministic and layout-independent', () => {
    fc.assert(
      fc.property(sequenceArb, (calls) => {
        const a = new Runner(profile, 'default');
        const b = new Runner(profile, 'default');
        const alt = new Runner(profile, 'alternate');
        const ra = a.run(calls);
        expect(text(b.run(calls))).toBe(text(ra));
        expect(text(b.model.liveState())).toBe(text(a.model.liveState()));
        expect(b.model.version()).toBe(a.model.version());
        const rAlt = alt.run(calls);
        expect(text(rAlt.map(shapeOf))).toBe(text(ra.map(shapeOf)));
        const counts = (m: Model) => Object.values(m.liveState()).map((x: unknown[]) => x.length);
        expect(counts(alt.model)).toEqual(counts(a.model));
      }),
      { endOnFailure: true },
    );
  });
});
