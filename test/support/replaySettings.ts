// Test support: the replay settings unit tests use (sampled checks, 5 s a call), against `target`.
import type { ReplaySettings } from '../../src/replay/protocol.js';

export function replaySettings(target: string, more: Partial<ReplaySettings> = {}): ReplaySettings {
  return { target, paranoid: false, timeoutMs: 5000, sampleBytes: 512, ...more };
}
