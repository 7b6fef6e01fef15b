// The in-memory trace: the JSONL header plus an ordered list of calls (DESIGN.md "Trace
// interchange format"). Codecs (jsonl.ts, codec.ts, text.ts) convert to and from this shape.
import type { DeviceSpec, Profile } from '../model/device.js';
import { DEFAULT_PROFILE } from '../model/device.js';
import type { JsonValue, TraceCall } from '../model/values.js';

export type { JsonValue } from '../model/values.js';

export interface TraceHeader {
  readonly format: 'vpdma-trace';
  readonly version: 1;
  /** Absent means the oracle's default profile, docs. */
  readonly profile?: Profile;
  /** As written in the file (defaults not filled in), so conversion is lossless. */
  readonly device: DeviceSpec;
  /** Free-form: source, capture tool, seed, description. */
  readonly meta: { readonly [key: string]: JsonValue };
}

export interface Trace {
  readonly header: TraceHeader;
  readonly calls: readonly TraceCall[];
}

export const TRACE_FORMAT = 'vpdma-trace';
export const TRACE_VERSION = 1;

export function emptyHeader(meta: TraceHeader['meta'] = {}): TraceHeader {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    profile: DEFAULT_PROFILE,
    device: {},
    meta,
  };
}
