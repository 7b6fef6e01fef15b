// What `vpdma show` says about a trace besides its calls: header facts, call counts per
// function, objects created per resource kind, and whether the trace is captured.
import type { CallDesc, ResourceKind } from '../model/callTypes.js';
import type { DeviceConfig, Profile } from '../model/device.js';
import { profileOf, resolveDevice } from '../model/device.js';
import { describe, tableRevision } from '../model/calls.js';
import type { TraceCall } from '../model/values.js';
import type { Trace, TraceHeader } from './trace.js';
import { productionsOf } from './produced.js';
import { oneLine } from '../core/oneLine.js';
import { plural } from '../core/plural.js';

export interface TraceSummary {
  readonly version: number;
  readonly profile: Profile;
  readonly profileExplicit: boolean;
  readonly device: DeviceConfig;
  readonly calls: number;
  /** Calls per function, most frequent first. */
  readonly perFunction: readonly (readonly [string, number])[];
  /** Non-NULL produced values per resource kind, as recorded. */
  readonly objects: readonly (readonly [ResourceKind, number])[];
  /**
   * Calls that can create an object but recorded no value where they would put it (a
   * generated trace records none): what they created is not in the trace.
   */
  readonly unrecordedCreators: number;
  /** Calls recording a ret or out (a captured trace records them all). */
  readonly capturedCalls: number;
  /** Calls that have a ret or out to record (a VOID call without out-parameters has none). */
  readonly capturableCalls: number;
  /** The call table's revision the writer had (.vpt files record it; the summary says if not). */
  readonly modelRevision?: string;
}

const byCountThenName = (a: readonly [string, number], b: readonly [string, number]): number =>
  b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function summarize(trace: Trace): TraceSummary {
  const b = new SummaryBuilder();
  for (const call of trace.calls) b.add(call);
  return b.result(trace.header);
}

/** The summary a call at a time, for a trace streamed from a file (memory: per function). */
export class SummaryBuilder {
  private readonly fns = new Map<string, number>();
  private readonly objects = new Map<ResourceKind, number>();
  private captured = 0;
  private capturable = 0;
  private unrecordedCreators = 0;
  private calls = 0;

  add(call: TraceCall): void {
    this.calls++;
    this.fns.set(call.fn, (this.fns.get(call.fn) ?? 0) + 1);
    if (call.ret !== undefined || call.out !== undefined) this.captured++;
    const d = describe(call.fn);
    if (d !== undefined && (d.ret !== undefined || d.out.length > 0)) this.capturable++;
    for (const p of productionsOf(call))
      this.objects.set(p.res, (this.objects.get(p.res) ?? 0) + 1);
    if (d !== undefined && createsUnrecorded(d, call)) this.unrecordedCreators++;
  }

  result(header: TraceHeader, modelRevision?: string): TraceSummary {
    return {
      version: header.version,
      profile: profileOf(header),
      profileExplicit: header.profile !== undefined,
      device: resolveDevice(header.device),
      calls: this.calls,
      perFunction: [...this.fns].sort(byCountThenName),
      objects: [...this.objects].sort(byCountThenName),
      unrecordedCreators: this.unrecordedCreators,
      capturedCalls: this.captured,
      capturableCalls: this.capturable,
      ...(modelRevision === undefined ? {} : { modelRevision }),
    };
  }
}

/** Whether the call can create an object where it recorded no value (its ret, an out). */
function createsUnrecorded(d: CallDesc, call: TraceCall): boolean {
  if (d.ret?.produces !== undefined && call.ret === undefined) return true;
  return d.out.some(
    (o) =>
      (o.produces !== undefined || o.fieldProduces !== undefined) &&
      call.out?.[o.name] === undefined,
  );
}

/**
 * An aperture's name as written when it is a plain word, else quoted with its escapes: a line
 * break in it would end the comment and put the rest where a call is read.
 */
function nameOf(name: string): string {
  return /^[\w.-]+$/.test(name) ? name : oneLine(JSON.stringify(name));
}

/** The summary as `# ` comment lines, so `show` output is itself a valid text trace. */
export function formatSummary(s: TraceSummary, name: string): string[] {
  const d = s.device;
  const apertures = d.apertures
    .map((a) => `${nameOf(a.name)} ${a.space} 0x${a.base.toString(16)}+0x${a.length.toString(16)}`)
    .join(', ');
  const dma = Object.entries(d.dma)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const captured =
    s.capturedCalls === 0
      ? 'no'
      : s.capturedCalls >= s.capturableCalls
        ? 'yes (every call with a result records ret/out)'
        : `partly (${s.capturedCalls} of the ${s.capturableCalls} calls with a result record ret/out)`;
  const lines = [
    `# trace ${oneLine(name)}: format version ${s.version}, profile ${s.profile}${s.profileExplicit ? '' : ' (default)'}`,
    `# device: apertures ${apertures === '' ? '(none)' : apertures}`,
    `#   system memory ${d.systemMemoryBytes} bytes; dma ${dma}`,
    `# calls: ${s.calls}; captured: ${captured}`,
  ];
  const width = Math.max(0, ...s.perFunction.map(([fn]) => fn.length));
  for (const [fn, n] of s.perFunction) lines.push(`#   ${fn.padEnd(width)} ${n}`);
  lines.push(`# objects created: ${objectsText(s)}`);
  // A trace written with another call table may mean other things by the same names. Only
  // .vpt files record the table; a JSONL or text trace, or a .vpt from another writer, does not.
  const ours = tableRevision();
  if (s.modelRevision === undefined) {
    lines.push(`# call table: not recorded in this trace (this vpdma has ${ours})`);
  } else {
    lines.push(
      s.modelRevision === ours
        ? `# call table: ${ours} (the same as this vpdma's)`
        : `# call table: ${oneLine(s.modelRevision)}, written by another vpdma (this one has ${ours})`,
    );
  }
  return lines;
}

/**
 * The objects the trace records as created. A call that did not record its result may have
 * created one too: then the count is a lower bound, or unknown when nothing was recorded.
 */
function objectsText(s: TraceSummary): string {
  const objs = s.objects.map(([k, n]) => `${k} ${n}`).join(', ');
  if (s.unrecordedCreators === 0) return objs === '' ? 'none' : objs;
  const calls = `${plural(s.unrecordedCreators, 'call')} that can create one`;
  return objs === ''
    ? `unknown (results not captured: ${calls})`
    : `${objs} recorded; unknown for ${calls} (results not captured)`;
}
