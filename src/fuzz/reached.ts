// What a campaign reached, by function: the model's branch names for the call outcomes it
// met and the live states it called each function in, as people read coverage (syzkaller's
// per-call coverage, libFuzzer's -print_coverage). A coverage key hashes (function, branch,
// misuse, state shape, profile); its label is that without the profile, so the table is the
// keys' projection: the same for any worker count or shard, and merged by union.
import { CALLS, MAP_DMA_FN } from '../model/calls.js';
import type { Stepped } from '../model/step.js';
import { plural } from '../core/plural.js';
import { ReportShapeError } from '../core/reportShapeError.js';

/** What each bit of coverage.ts's stateShape means (its order). */
const SHAPE_NAMES = [
  'adapter',
  'common-buffer',
  'mdl',
  'transfer-pending',
  'transfer-delivered',
  'view',
  'event',
  'pool-block',
  'two-adapters',
] as const;

/** Every shape's name, made once: a worker labels a third of its steps' keys (new to its task). */
const NAMES: readonly string[] = Array.from({ length: 1 << SHAPE_NAMES.length }, (_, shape) => {
  const on = SHAPE_NAMES.filter((_, bit) => (shape & (1 << bit)) !== 0);
  return on.length === 0 ? 'idle' : on.join('+');
});

/** A state shape as text: what was live, e.g. "adapter+mdl+transfer-pending"; "idle". */
export function shapeName(shape: number): string {
  return NAMES[shape] ?? 'idle';
}

/**
 * A key's label: `fn|branch|state`, with `!` after a misuse branch; `shape` is coverage.ts's
 * stateShape of the state right after the call.
 */
export function reachedLabel(fn: string, stepped: Stepped, shape: number): string {
  const misuse = stepped.misuse === undefined ? '' : '!';
  return `${fn}|${stepped.branch}${misuse}|${shapeName(shape)}`;
}

export interface FunctionReached {
  /** Branches reached by calls the oracle accepted, sorted. */
  readonly branches: readonly string[];
  /** Branches reached by calls that broke the API's rules (misuse), sorted. */
  readonly misuse: readonly string[];
  /** What was live right after the calls (shapeName), sorted. */
  readonly states: readonly string[];
}

/** Per function (table order; memory events too), what was reached; absent: nothing. */
export type ReachedTable = Readonly<Record<string, FunctionReached>>;

const ORDER = new Map(CALLS.map((c, i) => [c.fn, i]));

interface Sets {
  readonly branches: Set<string>;
  readonly misuse: Set<string>;
  readonly states: Set<string>;
}

function tableOf(by: Map<string, Sets>): ReachedTable {
  // A null-prototype object: keys are table names, never "__proto__", but it costs nothing.
  const table = Object.create(null) as Record<string, FunctionReached>;
  const fns = [...by.keys()].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
  for (const fn of fns) {
    const f = by.get(fn);
    if (f !== undefined)
      table[fn] = {
        branches: [...f.branches].sort(),
        misuse: [...f.misuse].sort(),
        states: [...f.states].sort(),
      };
  }
  return table;
}

function setsOf(by: Map<string, Sets>, fn: string): Sets {
  let f = by.get(fn);
  if (f === undefined)
    by.set(fn, (f = { branches: new Set(), misuse: new Set(), states: new Set() }));
  return f;
}

/** The table of a set of labels; labels of functions not in the call table are dropped. */
export function reachedTable(labels: Iterable<string>): ReachedTable {
  const by = new Map<string, Sets>();
  for (const label of labels) {
    const [fn = '', branch, state] = label.split('|');
    if (branch === undefined || state === undefined || !ORDER.has(fn)) continue;
    const f = setsOf(by, fn);
    if (branch.endsWith('!')) f.misuse.add(branch.slice(0, -1));
    else f.branches.add(branch);
    f.states.add(state);
  }
  return tableOf(by);
}

/**
 * The union of tables (the shards of one run). A table read back from a report may be
 * damaged: a ReportShapeError names what is wrong.
 */
export function mergeReached(tables: readonly ReachedTable[]): ReachedTable {
  const by = new Map<string, Sets>();
  const names = (v: unknown, fn: string): string[] => {
    if (!Array.isArray(v) || !v.every((b) => typeof b === 'string'))
      throw new ReportShapeError(`reached.${fn} is not three lists of names`);
    return v;
  };
  for (const t of tables) {
    if (typeof t !== 'object' || t === null || Array.isArray(t))
      throw new ReportShapeError('reached is not a table of functions');
    for (const [fn, f] of Object.entries(t)) {
      if (!ORDER.has(fn)) continue;
      if (typeof f !== 'object' || f === null)
        throw new ReportShapeError(`reached.${fn} is not three lists of names`);
      const into = setsOf(by, fn);
      for (const b of names(f.branches, fn)) into.branches.add(b);
      for (const b of names(f.misuse, fn)) into.misuse.add(b);
      for (const b of names(f.states, fn)) into.states.add(b);
    }
  }
  return tableOf(by);
}

/**
 * VideoPort functions of the call table that no call reached, in table order, leaving out
 * `disabled` ones (never called on purpose) and the memory events (`@write`, ...).
 */
export function unreached(table: ReachedTable, disabled: readonly string[] = []): string[] {
  const off = new Set(disabled);
  return CALLS.map((c) => c.fn).filter(
    (fn) => !fn.startsWith('@') && !off.has(fn) && !Object.hasOwn(table, fn),
  );
}

/**
 * Said after coverage figures of a run that made no call (its target never started, or no
 * case ran): the base corpus's, measured on the model, and nothing the run reached.
 */
export const BASE_ONLY = ' (base corpus only: no call made)';

/**
 * A label's model branch, `fn|branch` (`!` after a misuse branch): the label without its
 * state; undefined for a function not in the call table, which a table drops.
 */
export function branchOfLabel(label: string): string | undefined {
  const fnEnd = label.indexOf('|');
  const stateAt = label.lastIndexOf('|');
  if (fnEnd < 0 || stateAt <= fnEnd || !ORDER.has(label.slice(0, fnEnd))) return undefined;
  return label.slice(0, stateAt);
}

/**
 * The model branches a table holds, (function, branch) pairs with a misuse branch apart from
 * an accepted one of the same name: bounded by the model, unlike the keys, so it levels off
 * once a campaign has met what it can reach (docs/fuzzing.md, "Coverage and the corpus").
 */
export function branchCount(table: ReachedTable): number {
  let n = 0;
  for (const f of Object.values(table)) n += f.branches.length + f.misuse.length;
  return n;
}

/** The summary's lines: how much was reached, and the functions never (or only wrongly) called. */
export function reachedLines(table: ReachedTable, never: readonly string[]): string[] {
  let functions = 0;
  const branches = branchCount(table);
  let misuse = 0;
  const wrongOnly: string[] = [];
  const states = new Set<string>();
  for (const [fn, f] of Object.entries(table)) {
    if (!fn.startsWith('@')) functions++;
    misuse += f.misuse.length;
    if (f.branches.length === 0 && !fn.startsWith('@')) wrongOnly.push(fn);
    for (const st of f.states) states.add(st);
  }
  const mapDma = table[MAP_DMA_FN]?.states.length ?? 0;
  // Not reached and not listed as never reached: --disable'd, and said so elsewhere.
  const offered = mapDma > 0 || never.includes(MAP_DMA_FN);
  return [
    `reached ${functions} of ${plural(functions + never.length, 'function')}, ${plural(branches, 'model branch', undefined, 'model branches')} (${misuse} of them misuse)${offered ? `; ${MAP_DMA_FN} called in ${mapDma} of the ${plural(states.size, 'live state')} met` : ''}`,
    ...(never.length === 0 ? [] : [`never reached: ${never.join(', ')}`]),
    ...(wrongOnly.length === 0 ? [] : [`reached only by misuse: ${wrongOnly.join(', ')}`]),
  ];
}
