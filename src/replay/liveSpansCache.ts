// The oracle's live memory as spans, for the samplers and the touched-bytes filter: rebuilt
// only when the oracle's objects changed (its state version), not at every call.
import type { Model } from '../model/model.js';
import { liveSpans, mergeSpans, type Span } from './memory.js';

export class LiveSpansCache {
  private spans: { version: number; spans: Span[] } | undefined;
  private merged: { of: Span[]; merged: readonly Span[] } | undefined;

  constructor(private readonly model: Model) {}

  /** Every live object's bytes, one span each. */
  now(): Span[] {
    const v = this.model.state.version;
    if (this.spans?.version !== v) this.spans = { version: v, spans: liveSpans(this.model) };
    return this.spans.spans;
  }

  /** The same, merged and sorted (for withinLive). */
  mergedNow(): readonly Span[] {
    const spans = this.now();
    if (this.merged?.of !== spans) this.merged = { of: spans, merged: mergeSpans(spans) };
    return this.merged.merged;
  }
}
