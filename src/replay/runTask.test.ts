// The worker's side of replay: a .vpt above streamBytesMin is streamed (checked in one pass,
// replayed in a second) and must give exactly what reading it whole gives.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeVpt } from '../trace/vpt.js';
import { kitchenSink, KITCHEN_HEADER } from './kitchenSink.js';
import type { ReplaySettings, TraceItem } from './protocol.js';
import { runReplayTask, streamBytesMin } from './runTask.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-run-task-'));
const settings: ReplaySettings = {
  target: 'model',
  paranoid: false,
  timeoutMs: 5000,
  sampleBytes: 512,
};

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The same file read whole, and streamed (its size claimed above the threshold). */
async function both(path: string): Promise<[unknown, unknown]> {
  const whole: TraceItem = { id: 0, label: path, path, size: 1 };
  const streamed: TraceItem = { id: 0, label: path, path, size: streamBytesMin + 1 };
  const [a] = await runReplayTask({ settings, items: [whole] });
  const [b] = await runReplayTask({ settings, items: [streamed] });
  return [a, b];
}

describe('runReplayTask on a big .vpt (streamed)', () => {
  it('replays exactly as a whole read does, violations included', async () => {
    for (const target of ['model', 'mutant:mapdma-corrupts-common-buffer']) {
      const path = file('kitchen.vpt', encodeVpt({ header: KITCHEN_HEADER, calls: kitchenSink() }));
      const whole = { id: 0, label: path, path, size: 1 };
      const big = { ...whole, size: streamBytesMin + 1 };
      const [a] = await runReplayTask({ settings: { ...settings, target }, items: [whole] });
      const [b] = await runReplayTask({ settings: { ...settings, target }, items: [big] });
      expect(b).toEqual(a);
      expect(b?.result?.calls).toBe(kitchenSink().length);
    }
  });

  it('reports a captured trace using a handle never returned as bad input, before replaying', async () => {
    const calls = kitchenSink().filter((c) => c.fn !== 'VideoPortGetDmaAdapter');
    const path = file('broken.vpt', encodeVpt({ header: KITCHEN_HEADER, calls }));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect((b as { inputError?: string }).inputError).toMatch(/which no earlier call returned/);
  });

  it('reports a truncated file as bad input, naming the offset', async () => {
    const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: kitchenSink() });
    const path = file('cut.vpt', bytes.subarray(0, bytes.length - 10));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect((b as { inputError?: string }).inputError).toMatch(/cut\.vpt/);
  });
});
