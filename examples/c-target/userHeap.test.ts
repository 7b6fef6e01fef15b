// The C target replays a capture whose user heap (0x20000001000) is where the examples once put
// their user views (the C target at 0x50000000000, the oracle at 0x20000000000): both now live
// past x64 user space (vp.h, src/model/layout.ts). Before, a false memory-mismatch.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDevice } from '../../src/model/device.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { parseJsonl } from '../../src/trace/jsonl.js';
import { BINARY } from './testKit.js';

const TRACE = fileURLToPath(new URL('../../test/fixtures/x64-userheap.jsonl', import.meta.url));
const children: ProcessChild[] = [];
afterAll(() => {
  for (const c of children) c.kill();
});

describe('the C target and a capture’s user heap at 0x20000001000', () => {
  it('passes: no view of either side lands on the process’s own memory', async () => {
    const parsed = parseJsonl(readFileSync(TRACE, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const options = { command: `'${BINARY}'`, device: resolveDevice({}), profile: 'docs' };
    const child = await createProcessTarget({ ...options, timeoutMs: 5000 });
    children.push(child.child);
    const r = await replayTrace(parsed.value.header, parsed.value.calls, child);
    expect(r.violations.map((v) => `${v.kind} #${v.callIndex}: ${v.message}`)).toEqual([]);
    expect(r.detachedAt).toBeUndefined();
  });
});
