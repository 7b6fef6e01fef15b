// Test support: the fuzz settings unit tests use (seed 7, 48 calls a case), against `target`.
import type { FuzzSettings } from '../../src/fuzz/protocol.js';

export function fuzzSettings(target: string, more: Partial<FuzzSettings> = {}): FuzzSettings {
  return {
    target,
    timeoutMs: 1000,
    sampleBytes: 512,
    callsMax: 48,
    seed: 7,
    seedText: '7',
    ...more,
  };
}
