// What the fuzz benchmarks share: settings as `vpdma fuzz` would make them, and a whole
// (unsharded) campaign on a built base, its executor closed afterwards.
import type { Base } from '../../src/fuzz/base.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../../src/fuzz/campaign.js';
import type { FuzzExecutor } from '../../src/fuzz/executor.js';
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

type Rest = Omit<CampaignOptions, 'settings' | 'base' | 'baseKeys' | 'shard'>;

/**
 * One campaign over every case of `base` (shard 1/1); closes `ex` when it ends. `endedAt`:
 * performance.now() when the campaign ended, before the close.
 */
export async function campaignOn(
  ex: FuzzExecutor,
  base: Base,
  settings: FuzzSettings,
  rest: Rest,
): Promise<CampaignResult & { readonly endedAt: number }> {
  try {
    const r = await runCampaign(ex, {
      settings,
      base: base.shared,
      baseKeys: base.keys,
      shard: { index: 0, count: 1 },
      ...rest,
    });
    return { ...r, endedAt: performance.now() };
  } finally {
    await ex.close();
  }
}
