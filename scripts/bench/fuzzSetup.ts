// What the fuzz benchmarks share: settings as `vpdma fuzz` would make them, and a whole
// (unsharded) campaign on a built base (test/support/campaignOn.ts, which the tests use too).
import type { FuzzSettings } from '../../src/fuzz/protocol.js';

export function fuzzSettings(
  seed: number,
  o: { readonly target?: string; readonly callsMax?: number; readonly timeoutMs?: number } = {},
): FuzzSettings {
  return {
    target: o.target ?? 'model',
    timeoutMs: o.timeoutMs ?? 1000,
    sampleBytes: 512,
    callsMax: o.callsMax ?? 64,
    seed,
    seedText: String(seed),
  };
}

export { campaignOn } from '../../test/support/campaignOn.js';
