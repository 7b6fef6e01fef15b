// Per-function replay plans, derived once from the call table: which arguments translate in
// which address space, and how each return and out-parameter is checked.
import { CALLS } from '../model/calls.js';
import {
  RESOURCE_SPACE,
  type AddressSpace,
  type ArgDesc,
  type ArgType,
  type CallDesc,
  type CompareRule,
  type Produces,
} from '../model/callTypes.js';

export interface ValuePlan {
  readonly name: string;
  readonly type: ArgType;
  readonly compare: CompareRule;
  /** Space a pointer value lives in, for translation ('none' for plain data). */
  readonly space: AddressSpace | 'none';
  readonly produces?: Produces;
  readonly fieldProduces?: Readonly<Record<string, Produces>>;
  readonly fieldCompare?: Readonly<Record<string, CompareRule>>;
  /** fieldProduces as entries, listed once here rather than by Object.entries per call. */
  readonly fieldProducesList?: readonly (readonly [field: string, produces: Produces])[];
}

export interface CallPlan {
  readonly desc: CallDesc;
  readonly inert: boolean;
  /** Arguments that need translation (pointers, structures holding pointers). */
  readonly translated: readonly ValuePlan[];
  readonly ret?: ValuePlan;
  readonly outs: readonly ValuePlan[];
  /** Whether the return or an out-parameter is a scatter/gather list (CheckContext.singleElement). */
  readonly sglist: boolean;
}

function argSpace(a: ArgDesc | undefined): AddressSpace | 'none' {
  if (a === undefined) return 'cpu';
  if (a.type === 'vrp') return 'cpu';
  if (a.type !== 'ptr' && a.type !== 'u64') return 'none';
  if (a.role.kind === 'consumes') return RESOURCE_SPACE[a.role.res];
  if (a.role.kind === 'opaque') return a.type === 'ptr' ? 'cpu' : 'none';
  return 'none';
}

function planFor(desc: CallDesc): CallPlan {
  const byName = new Map(desc.args.map((a) => [a.name, a]));
  const translated: ValuePlan[] = [];
  for (const a of desc.args) {
    const space = argSpace(a);
    if (space !== 'none') translated.push({ name: a.name, type: a.type, compare: 'exact', space });
  }
  const outs = desc.out.map((o): ValuePlan => {
    const space =
      o.produces !== undefined
        ? RESOURCE_SPACE[o.produces.res]
        : o.type === 'sglist'
          ? 'device'
          : argSpace(
              byName.get(o.name) ?? { name: o.name, type: o.type, role: { kind: 'opaque' } },
            );
    const plan: ValuePlan = { name: o.name, type: o.type, compare: o.compare ?? 'exact', space };
    return {
      ...plan,
      ...(o.produces === undefined ? {} : { produces: o.produces }),
      ...(o.fieldProduces === undefined
        ? {}
        : {
            fieldProduces: o.fieldProduces,
            fieldProducesList: Object.entries(o.fieldProduces),
          }),
      ...(o.fieldCompare === undefined ? {} : { fieldCompare: o.fieldCompare }),
    };
  });
  const r = desc.ret;
  let ret: ValuePlan | undefined;
  if (r !== undefined) {
    const space =
      r.produces !== undefined
        ? RESOURCE_SPACE[r.produces.res]
        : r.echoes !== undefined
          ? argSpace(byName.get(r.echoes))
          : r.type === 'ptr'
            ? 'cpu'
            : 'none';
    ret = {
      name: 'ret',
      type: r.type,
      compare: r.compare ?? 'exact',
      space,
      ...(r.produces === undefined ? {} : { produces: r.produces }),
    };
  }
  return {
    desc,
    inert: desc.family === 'inert',
    translated,
    outs,
    sglist: ret?.type === 'sglist' || outs.some((o) => o.type === 'sglist'),
    ...(ret === undefined ? {} : { ret }),
  };
}

const PLANS: ReadonlyMap<string, CallPlan> = new Map(CALLS.map((c) => [c.fn, planFor(c)]));

export function planOf(fn: string): CallPlan | undefined {
  return PLANS.get(fn);
}
