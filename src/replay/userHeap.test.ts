// A capture's user buffer where the oracle used to put its own user views: an x64 process heap
// at 0x20000001000 (session 33's address probe, finding 1). User addresses pass through replay
// untranslated (docs/target-protocol.md "User memory"), so the views must live where no real
// process's memory can: past x64 user space (layout.ts). Before, the heap bytes landed in the
// oracle's frame-buffer view: two false recorded-mismatches (model), a false memory-mismatch
// (model:alternate and the C target, examples/c-target/userHeap.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { parseJsonl } from '../trace/jsonl.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';

const TRACE = fileURLToPath(new URL('../../test/fixtures/x64-userheap.jsonl', import.meta.url));

describe('a capture whose user heap is where the oracle once put its user views', () => {
  for (const layout of ['default', 'alternate'] as const) {
    it(`passes against the model (${layout} layout)`, async () => {
      const parsed = parseJsonl(readFileSync(TRACE, 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error.message);
      const t = createModelTargetSync({
        device: resolveDevice({}),
        profile: 'docs',
        layout,
      });
      const r = await replayTrace(parsed.value.header, parsed.value.calls, t);
      expect(r.violations.map((v) => `${v.kind} #${v.callIndex}: ${v.message}`)).toEqual([]);
      expect(r.detachedAt).toBeUndefined();
    });
  }
});
