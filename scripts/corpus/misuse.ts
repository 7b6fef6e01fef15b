// Replays a trace's fixed calls through a fresh model and lists the calls the model calls
// misuse. With `learn`, implementation-defined values recorded in the trace (handles, virtual
// and logical addresses, list elements) are translated to the ones this model hands out, the
// way DESIGN.md says a replayer learns them: so a trace recorded under the docs profile or the
// alternate layout can be checked against the ReactOS profile or the default layout.
import type { Profile } from '../../src/model/device.js';
import { describe } from '../../src/model/calls.js';
import { Model } from '../../src/model/model.js';
import type { Args, Struct, TraceCall, Value } from '../../src/model/values.js';
import { isStruct } from '../../src/model/values.js';
import type { Trace } from '../../src/trace/trace.js';

export interface MisuseHit {
  readonly index: number;
  readonly fn: string;
  readonly rule: string;
}

export interface ReplayOptions {
  readonly profile: Profile;
  readonly layout?: 'default' | 'alternate';
  readonly learn?: boolean;
}

interface Entry {
  readonly from: bigint;
  readonly to: bigint;
  readonly extent: bigint;
}

/** Recorded value → model value, by base and extent; the latest entry wins. */
class AddressBook {
  private readonly entries: Entry[] = [];

  constructor(private readonly model: Model) {}

  add(recorded: Value | undefined, actual: Value | undefined, extent?: number): void {
    if (typeof recorded !== 'bigint' || typeof actual !== 'bigint') return;
    if (recorded === 0n || actual === 0n) return;
    const length = extent ?? this.extentAt(actual);
    this.entries.push({ from: recorded, to: actual, extent: BigInt(Math.max(1, length)) });
  }

  map(v: bigint): bigint {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e !== undefined && v >= e.from && v < e.from + e.extent) return e.to + (v - e.from);
    }
    return v;
  }

  translate(v: Value): Value {
    if (typeof v === 'bigint') return this.map(v);
    if (isStruct(v)) {
      const out: Record<string, Struct[string]> = {};
      for (const [k, f] of Object.entries(v)) out[k] = typeof f === 'bigint' ? this.map(f) : f;
      return out;
    }
    return v;
  }

  /** Bytes from `va` to the end of the model range holding it (1 for a plain handle). */
  private extentAt(va: bigint): number {
    for (const r of this.model.liveRanges()) {
      if (va >= r.va && va < r.va + BigInt(r.length)) return r.length - Number(va - r.va);
    }
    return 1;
  }
}

function learnFrom(book: AddressBook, call: TraceCall, ret: Value | undefined, out?: Args): void {
  const desc = describe(call.fn);
  if (desc === undefined) return;
  if (desc.ret?.produces !== undefined) book.add(call.ret, ret);
  for (const o of desc.out) {
    const recorded = call.out?.[o.name];
    const actual = out?.[o.name];
    if (o.produces !== undefined) book.add(recorded, actual);
    const fields = Object.keys(o.fieldProduces ?? {});
    if (isStruct(recorded) && isStruct(actual)) {
      for (const f of fields) book.add(recorded[f], actual[f]);
    } else if (Array.isArray(recorded) && Array.isArray(actual)) {
      recorded.forEach((el: Struct, i) => {
        const got = actual[i] as Struct | undefined;
        const length = typeof el['length'] === 'number' ? el['length'] : undefined;
        for (const f of fields) book.add(el[f], got?.[f], length);
      });
    }
  }
}

export function misuseOf(trace: Trace, o: ReplayOptions): MisuseHit[] {
  const model = new Model({
    device: trace.header.device,
    profile: o.profile,
    layout: o.layout ?? 'default',
  });
  const book = new AddressBook(model);
  const hits: MisuseHit[] = [];
  trace.calls.forEach((call, index) => {
    const args: Record<string, Value> = {};
    for (const [k, v] of Object.entries(call.args)) args[k] = o.learn ? book.translate(v) : v;
    const r = model.step(call.fn, args);
    if (r.misuse !== undefined) hits.push({ index, fn: call.fn, rule: r.misuse });
    if (o.learn) learnFrom(book, call, r.ret, r.out);
  });
  return hits;
}

/** "call 12 @executeDma: no-pending-transfer" lines, for messages. */
export function describeHits(hits: readonly MisuseHit[]): string {
  return hits.map((h) => `call ${h.index} ${h.fn}: ${h.rule}`).join('; ');
}
