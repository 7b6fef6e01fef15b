// docs/text-format.md says its examples are traces a correct target replays cleanly; hold it
// to that against the reference model.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { parseText } from '../trace/text.js';
import { accepted } from '../../test/support/testResult.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';

const doc = readFileSync(new URL('../../docs/text-format.md', import.meta.url), 'utf8');
const blocks = [...doc.matchAll(/^```text\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');

describe('docs/text-format.md examples', () => {
  it('replay against the model without a violation or a detachment', async () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const text of blocks) {
      const { header, calls } = accepted(parseText(text, 'text-format.md'));
      const profile = header.profile ?? 'docs';
      const target = createModelTargetSync({ device: resolveDevice(header.device), profile });
      const r = await replayTrace(header, calls, target);
      expect({ violations: r.violations, detachedAt: r.detachedAt }).toEqual({
        violations: [],
        detachedAt: undefined,
      });
      expect(r.recordedDetachedAt).toBeUndefined();
    }
  });
});
