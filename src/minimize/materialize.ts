// Turning a candidate (which calls to drop, one argument to change) back into a concrete,
// replayable trace. References follow their producers: in 'oracle' mode the oracle runs over
// the kept calls and every reference gets the value its producer now has (removing a call
// moves every later allocation, and a generated-style trace names values by the oracle's
// default layout); in 'recorded' mode calls keep their recorded ret/out, which name the values.
import { StringHash } from '../core/hash.js';
import { Model } from '../model/model.js';
import type { Args, TraceCall, Value } from '../model/values.js';
import { callToJson } from '../trace/json.js';
import { productionsOf } from '../trace/produced.js';
import { producedPath } from '../trace/textNames.js';
import type { Trace } from '../trace/trace.js';
import { validateCall } from '../trace/validate.js';
import { covers, setArg } from './argPaths.js';
import type { Linked } from './references.js';

/**
 * - oracle: candidates drop recorded ret/out (removing calls changes what a real system would
 *   have returned later) and become generated-style traces in the oracle's value space.
 * - recorded: candidates keep ret/out and the recorded names (needed to keep a
 *   recorded-mismatch, which only a captured trace can show).
 */
export type Resolution = 'oracle' | 'recorded';

/** What a reference becomes when its producer is gone: NULL, or its old value, dangling. */
export type Orphan = 'null' | 'literal';

export interface Edit {
  readonly call: number;
  /** "arg" or "arg.field"; the whole argument is removed when value is undefined. */
  readonly path: string;
  readonly value: Value | undefined;
  /** A pointer argument of the same call moved by `by` (bytes laid out there lost a head). */
  readonly advance?: { readonly path: string; readonly by: bigint };
}

export interface Candidate {
  /** Indices into the linked trace's calls. */
  readonly removed: ReadonlySet<number>;
  readonly orphan: Orphan;
  readonly edit?: Edit;
}

const key = (call: number, at: string): string => `${call}:${at}`;

/** The candidate as a validated trace, or undefined if an edit made a call invalid. */
export function materialize(
  linked: Linked,
  cand: Candidate,
  resolution: Resolution,
): Trace | undefined {
  const model =
    resolution === 'oracle'
      ? new Model({ device: linked.trace.header.device, profile: linked.profile })
      : undefined;
  const values = new Map<string, bigint>();
  const calls: TraceCall[] = [];
  for (let i = 0; i < linked.calls.length; i++) {
    if (cand.removed.has(i)) continue;
    const lc = linked.calls[i];
    if (lc === undefined) break;
    const edit = cand.edit?.call === i ? cand.edit : undefined;
    let args: Args =
      edit === undefined ? lc.call.args : setArg(lc.call.args, edit.path, edit.value);
    for (const r of lc.refs) {
      if (edit !== undefined && covers(edit.path, r.path)) continue;
      const v = values.get(key(r.from.call, r.from.at));
      // The value the argument holds already (its producer's name, kept): left as it is.
      if (v !== undefined && v === linked.calls[r.from.call]?.names.get(r.from.at)) continue;
      if (v !== undefined) args = setArg(args, r.path, v + r.offset);
      else if (cand.orphan === 'null') args = setArg(args, r.path, 0n);
    }
    // After the references: the pointer moves from where its producer now puts it.
    const moved = edit?.advance === undefined ? undefined : args[edit.advance.path];
    if (edit?.advance !== undefined && typeof moved === 'bigint')
      args = setArg(args, edit.advance.path, moved + edit.advance.by);
    // A call left as it was is the linked trace's own (valid already): the Driver sees a
    // candidate made of the same calls, in order, and need not link it again.
    const same =
      args === lc.call.args &&
      (resolution === 'recorded' || (lc.call.ret === undefined && lc.call.out === undefined));
    const checked = same
      ? undefined
      : validateCall(
          resolution === 'oracle' ? oracleCall(lc.call, args) : { ...lc.call, args },
          {},
        );
    if (checked !== undefined && !checked.ok) return undefined;
    const call = checked === undefined ? lc.call : checked.value;
    calls.push(call);
    if (model === undefined) {
      for (const [at, name] of lc.names) values.set(key(i, at), name);
      continue;
    }
    for (const p of productionsOf(stepped(model, call)))
      values.set(key(i, producedPath(p.at)), p.value);
  }
  return { header: linked.trace.header, calls };
}

/**
 * A call whose recorded ret/out the oracle's answers replace: its meta stays, so a repro line
 * still says which thread made the call.
 */
function oracleCall(call: TraceCall, args: Args): TraceCall {
  return call.meta === undefined ? { fn: call.fn, args } : { fn: call.fn, args, meta: call.meta };
}

/** The call with the oracle's ret/out, for reading what it produced. */
function stepped(model: Model, call: TraceCall): TraceCall {
  const s = model.step(call.fn, call.args);
  return {
    fn: call.fn,
    args: call.args,
    ...(s.ret === undefined ? {} : { ret: s.ret }),
    ...(s.out === undefined ? {} : { out: s.out }),
  };
}

/**
 * A digest of a trace's calls in their canonical JSONL spelling, one line per call (the header
 * is the same for every candidate): two FNV-style lanes plus the text's length, for skipping
 * candidates already tried. Hashed a call at a time: a long trace's text as one string would
 * pass V8's string limit (about 512 MiB, some 1.7M calls of a capture).
 */
export function traceKey(trace: Trace): string {
  const a = new StringHash(0);
  const b = new StringHash(0x5bd1e995);
  let length = 0;
  const add = (text: string): void => {
    a.add(text);
    b.add(text);
    length += text.length;
  };
  trace.calls.forEach((c, i) => {
    if (i > 0) add('\n');
    add(JSON.stringify(callToJson(c)));
  });
  return `${a.value.toString(36)}.${b.value.toString(36)}.${length.toString(36)}`;
}
