// One whole (unsharded) campaign on a built base, its executor closed afterwards: the set-up
// tests and benchmarks share.
import type { Base } from '../../src/fuzz/base.js';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../../src/fuzz/campaign.js';
import type { FuzzExecutor } from '../../src/fuzz/executor.js';
import type { FuzzSettings } from '../../src/fuzz/protocol.js';

type Rest = Omit<CampaignOptions, 'settings' | 'base' | 'baseKeys' | 'baseEdges' | 'shard'>;

/**
 * Every case of `base` (shard 1/1); closes `ex` when it ends. `endedAt`: performance.now()
 * when the campaign ended, before the close.
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
      baseEdges: base.edges,
      shard: { index: 0, count: 1 },
      ...rest,
    });
    return { ...r, endedAt: performance.now() };
  } finally {
    await ex.close();
  }
}
