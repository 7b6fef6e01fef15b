// A rotating window over all live memory: each inert call checks the next `bytes` of it, so
// over many calls every byte of every live mapping gets looked at, at a constant cost per call.
import type { Span } from './memory.js';

export class Sampler {
  private rangeIndex = 0;
  private offset = 0;

  constructor(private readonly bytes: number) {}

  next(live: readonly Span[]): Span[] {
    const out: Span[] = [];
    let left = this.bytes;
    for (let visited = 0; left > 0 && live.length > 0 && visited <= live.length;) {
      if (this.rangeIndex >= live.length) this.rangeIndex = 0;
      const r = live[this.rangeIndex];
      if (r === undefined) break;
      if (this.offset >= r.length) {
        this.rangeIndex++;
        this.offset = 0;
        visited++;
        continue;
      }
      const n = Math.min(left, r.length - this.offset);
      out.push({ address: r.address + BigInt(this.offset), length: n });
      this.offset += n;
      left -= n;
    }
    return out;
  }
}
