// A streamed trace's file is closed when its replay ends, whichever way it ends: at the end,
// at bad input or damage part way, at a bad header, or stopped at a violation with bad input
// after it. Before this was so, each such ending left a FileHandle to the GC (Node's DEP0137
// warning in every test run): in a nightly replaying thousands of traces, an fd leak.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
import { encodeVpt } from '../trace/vpt.js';
import { KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { replaySettings } from '../../test/support/replaySettings.js';
import { fdsOn } from '../../test/support/openFds.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import type { ItemResult, ReplaySettings } from './protocol.js';
import { runReplayTask, streamBytesMin } from './runTask.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-streamed-close-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = replaySettings('mutant:bytes-used-remembered');

/** A violation at call 1 (under bytes-used-remembered), then 3,000 calls in several frames. */
function longCalls(): Recorder['calls'] {
  const r = new Recorder({}, true);
  r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
  r.call('VideoPortGetBytesUsed', { pDma: 0n });
  framebufferTraffic(r, 1500);
  return r.calls;
}

/** `content` as file `name`, replayed streamed: its result, and the fds left open on it. */
async function streamed(
  name: string,
  content: Uint8Array | string,
  more: Partial<ReplaySettings> = {},
): Promise<{ r: ItemResult | undefined; left: number }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const before = fdsOn(path);
  const [r] = await runReplayTask({
    settings: { ...settings, ...more },
    items: [{ id: 0, label: path, path, size: streamBytesMin + 1 }],
  });
  return { r, left: fdsOn(path) - before };
}

describe('a streamed replay closes its file', () => {
  const jsonl = formatJsonl({ header: KITCHEN_HEADER, calls: longCalls() });
  const badLine = `${jsonl}{"fn":"VideoPortNoSuchCall","args":{}}\n`;

  it('when it reads to the end', async () => {
    const { r, left } = await streamed('clean.jsonl', jsonl);
    expect(r?.result?.calls).toBe(longCalls().length);
    expect(left).toBe(0);
  });

  /** The trace with bad input after its calls, as `name`.jsonl and compressed (read otherwise). */
  const badFiles = (name: string): [string, Uint8Array | string][] => [
    [`${name}.jsonl`, badLine],
    [`${name}.jsonl.gz`, gzipSync(badLine)],
  ];

  it('at bad input part way, plain or compressed', async () => {
    for (const [name, content] of badFiles('bad')) {
      const { r, left } = await streamed(name, content);
      expect(r?.inputError).toMatch(/VideoPortNoSuchCall/);
      expect(left).toBe(0);
    }
  });

  it('at damage part way', async () => {
    const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: longCalls() });
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x40;
    const { r, left } = await streamed('damaged.vpt', bytes);
    expect(r?.damage).toMatch(/frame checksum mismatch/);
    expect(left).toBe(0);
  });

  it('at a bad header, before any call', async () => {
    const { r, left } = await streamed('no-header.jsonl', `{"fn":"VideoPortGetBytesUsed"}\n`);
    expect(r?.inputError).toBeDefined();
    expect(left).toBe(0);
  });

  it('stopped at a violation, with bad input after it, plain or compressed', async () => {
    for (const [name, content] of badFiles('stop-bad')) {
      const { r, left } = await streamed(name, content, { stopAtViolation: {} });
      expect(r?.result?.calls).toBe(2);
      expect(r?.inputError).toMatch(/VideoPortNoSuchCall/);
      expect(left).toBe(0);
    }
  });
});
