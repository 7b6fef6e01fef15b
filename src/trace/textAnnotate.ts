// A repro in the text format, explained in comments for someone reading it cold: what the
// oracle answers after each call, and which earlier call produced a value a later call is
// given. Comments only: the annotated text parses to exactly the trace printText writes, so
// the repro checks what the bare one checks (a recorded `->` or `out(...)` would be compared
// with the target's answers; a comment is not).
import { oneLine } from '../core/oneLine.js';
import type { ArgType } from '../model/callTypes.js';
import { describe } from '../model/calls.js';
import {
  valueEquals,
  type Args,
  type Struct,
  type TraceCall,
  type Value,
} from '../model/values.js';
import { hexOfBytes } from './json.js';
import type { Production } from './produced.js';
import { nameProductions, producerRefs, type ProducerRef } from './textNames.js';
import { printCall, printPlainValue, printTextHeader } from './textPrint.js';
import type { Trace } from './trace.js';

/** What the oracle answers to one call, in the trace's own values. */
export interface OracleAnswer {
  readonly ret?: Value;
  /** Every out-parameter after the call (one it did not write holds its entry value). */
  readonly out?: Args;
  /** The out-parameters it wrote: changed from their entry values, or out-only ones set. */
  readonly written: readonly string[];
  /** The documented rule the call breaks (the oracle stops being compared from here). */
  readonly misuse?: string;
  /** Out-parameters whose value this path leaves to the implementation: any is accepted. */
  readonly unspecified?: readonly string[];
}

/** The violation a repro shows, to print under its call beside the oracle's answer. */
export interface FoundAt {
  readonly callIndex: number;
  readonly kind: string;
  /** The violation's one line, which quotes what the target answered. */
  readonly message: string;
}

/** The lines after the header that say how to read the rest. */
export const REPRO_NOTES: readonly string[] = [
  '# Arguments for pointer parameters (PULONG Length, PVOID *VirtualAddress) are the values pointed to on entry: length=4096 means *Length == 4096.',
  `# Comments are not checked: "# oracle at call N:" is what the reference model answers to call N (counting from 0, as replay does); "x = call N's *X" says where argument x came from.`,
];

/** Bytes and list elements a comment shows of one value before it says how many there are. */
const BYTES_SHOWN = 16;
const ELEMENTS_SHOWN = 4;

/**
 * The trace as printText prints it, with REPRO_NOTES after the header, a trailing comment on
 * each call given a value an earlier call produced (unless the text already names it rN), and
 * a `# oracle at call N:` line after each call the oracle answers something to. `answers` is
 * index-aligned with the calls (undefined: nothing to say). `numbers` starts each call's
 * trailing comment with `call N`. `found`, the violation the repro shows, adds a
 * `# violation at call N:` line under its call, after the oracle's: what the
 * oracle answers alone does not show the bug.
 */
export function printTextAnnotated(
  trace: Trace,
  answers: readonly (OracleAnswer | undefined)[],
  options: { readonly numbers?: boolean; readonly found?: FoundAt } = {},
): string {
  const { calls } = trace;
  const notes = nameProductions(calls);
  // What each call produced: its recorded values, else the oracle's (written ones only: an
  // out-parameter left as it was produced nothing).
  const merged = calls.map((c, i) => withAnswer(c, answers[i]));
  const keep = (i: number, p: Production): boolean => produced(calls[i], answers[i], p);
  // A misused call changed nothing, so a free the documentation forbids ended no object.
  const refs = producerRefs(merged, keep, (i) => answers[i]?.misuse === undefined);
  const lines = [...printTextHeader(trace.header), ...REPRO_NOTES];
  calls.forEach((call, i) => {
    const named = notes[i] ?? new Map<string, string>();
    // A value the text names rN needs no comment, unless its object is gone.
    const sources = (refs[i] ?? [])
      .filter((r) => !named.has(r.path) || r.freedAt !== undefined)
      .map((r) => source(r, calls));
    if (options.numbers === true) sources.unshift(`call ${i}`);
    const line = printCall(call, named);
    lines.push(sources.length === 0 ? line : `${line}  # ${sources.join('; ')}`);
    const a = answers[i];
    const said =
      a === undefined ? '' : asRecorded(call, a) ? 'as recorded' : answerText(call.fn, a);
    if (said !== '') lines.push(`# oracle at call ${i}: ${said}`);
    const found = options.found;
    if (found?.callIndex === i)
      lines.push(`# violation at call ${i}: ${found.kind}: ${oneLine(found.message)}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The call with the oracle's answer where it recorded none (for finding what it produced). */
function withAnswer(call: TraceCall, a: OracleAnswer | undefined): TraceCall {
  if (a === undefined) return call;
  const ret = call.ret ?? a.ret;
  const out = { ...a.out, ...call.out };
  return { fn: call.fn, args: call.args, ...(ret === undefined ? {} : { ret }), out };
}

/** Whether a production of the merged call is one: recorded, or written by the oracle. */
function produced(
  call: TraceCall | undefined,
  a: OracleAnswer | undefined,
  p: Production,
): boolean {
  if (p.at.in === 'ret') return true;
  return call?.out?.[p.at.name] !== undefined || a?.written.includes(p.at.name) === true;
}

/**
 * "virtualAddress = call 0's *VirtualAddress", "va = call 2's return value + 0x180",
 * "mappedAddress = call 0's return value (freed at call 1)".
 */
function source(r: ProducerRef, calls: readonly TraceCall[]): string {
  const fn = calls[r.call]?.fn ?? '';
  const offset = r.offset === 0n ? '' : ` + 0x${r.offset.toString(16)}`;
  const freed = r.freedAt === undefined ? '' : ` (freed at call ${r.freedAt})`;
  const where = `call ${r.call}'s ${producedName(fn, r.at)}${offset}${freed}`;
  return `${r.path.replace(/^args\./, '')} = ${where}`;
}

/** A C programmer's name for where a call put a value: *VirtualAddress, pVrp->OutputBuffer. */
function producedName(fn: string, at: string): string {
  if (at === 'ret') return 'return value';
  const [name = '', ...rest] = at.replace(/^out\./, '').split('.');
  if (fn.startsWith('@')) {
    // Events are no C calls: elements.0.address reads as elements[0].address.
    return rest.length === 2 ? `${name}[${rest[0]}].${rest[1]}` : [name, ...rest].join('.');
  }
  const param = cName(name);
  return rest.length === 0 ? `*${param}` : `${param}->${cName(rest.join('.'))}`;
}

/** The C spelling of a parameter or field named by lowering its first letter. */
function cName(name: string): string {
  // Hungarian pointer prefixes stay as C writes them: pLength, pVrp, ppEvent.
  return /^p+[A-Z]/.test(name) ? name : name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Whether a call that records its result recorded what the oracle answers (a captured trace's
 * comment would only repeat its line): its ret, every out-parameter the oracle wrote, and no
 * recorded out-parameter the oracle disagrees with (one it leaves open agrees with anything).
 */
function asRecorded(call: TraceCall, a: OracleAnswer): boolean {
  if (call.ret === undefined && call.out === undefined) return false;
  if (a.misuse !== undefined) return false;
  if (a.ret !== undefined && !valueEquals(call.ret, a.ret)) return false;
  const open = new Set(a.unspecified ?? []);
  if (a.written.some((n) => !open.has(n) && call.out?.[n] === undefined)) return false;
  return Object.entries(call.out ?? {}).every(
    ([n, v]) => open.has(n) || valueEquals(v, a.out?.[n]),
  );
}

/** "-> 0 out(virtualAddress=0x20000000000)", "-> 0x0, out-parameters unchanged", ... */
export function answerText(fn: string, a: OracleAnswer): string {
  const desc = describe(fn);
  if (desc === undefined) return '';
  const parts: string[] = [];
  if (a.ret !== undefined && desc.ret !== undefined)
    parts.push(`-> ${commentValue(desc.ret.type, a.ret)}`);
  const open = new Set(a.unspecified ?? []);
  const wrote: string[] = [];
  for (const o of desc.out) {
    const v = a.out?.[o.name];
    if (v !== undefined && a.written.includes(o.name) && !open.has(o.name))
      wrote.push(`${o.name}=${commentValue(o.type, v)}`);
  }
  let text = parts.join(' ');
  if (wrote.length > 0) text += `${text === '' ? '' : ' '}out(${wrote.join(', ')})`;
  else if (desc.out.length > 0 && open.size === 0)
    text += `${text === '' ? '' : ', '}out-parameters unchanged`;
  if (open.size > 0) {
    const names = [...open].map((n) => (fn.startsWith('@') ? n : `*${cName(n)}`)).join(', ');
    text += `${text === '' ? '' : ', '}any value accepted in ${names}`;
  }
  if (a.misuse !== undefined) text += `${text === '' ? '' : '; '}misuse: ${a.misuse}`;
  return text;
}

/** A value as the printer writes it, long byte strings and lists cut short. */
function commentValue(type: ArgType, v: Value): string {
  if (v instanceof Uint8Array && v.length > BYTES_SHOWN)
    return `x"${hexOfBytes(v.subarray(0, BYTES_SHOWN))}..." (${v.length} bytes)`;
  if (Array.isArray(v) && v.length > ELEMENTS_SHOWN) {
    const shown = printPlainValue(type, (v as readonly Struct[]).slice(0, ELEMENTS_SHOWN));
    return `${shown.slice(0, -1)}, ...] (${v.length} elements)`;
  }
  return printPlainValue(type, v);
}
