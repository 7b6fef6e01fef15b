// settings.stopAtViolation (`vpdma minimize`'s first replay): the replay ends after the call
// showing the first violation asked for, the same one a whole replay lists first; the rest of
// the file is still read and checked (bad input after it is the trace's inputError) and
// counted, not replayed. Read whole or streamed alike.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
import { encodeVpt } from '../trace/vpt.js';
import { KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { replaySettings } from '../../test/support/replaySettings.js';
import type { ReplaySettings, TraceItem } from './protocol.js';
import { runReplayTask, streamBytesMin } from './runTask.js';
import type { Trace } from '../trace/trace.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-stop-at-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = replaySettings('mutant:bytes-used-remembered');

/**
 * Against mutant:bytes-used-remembered: an inert-return-mismatch at call 2 (GetBytesUsed),
 * 3,000 calls, and another at the end (call 3,004): 3,005 calls.
 */
function failingEarly(): Trace {
  const r = new Recorder({}, true);
  const fb = r.ptr('VideoPortGetDeviceBase', {
    ioAddress: 0xe0000000n,
    numberOfUchars: 0x10000,
    inIoSpace: 0,
  });
  const bytesUsed = (): void => {
    r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
    r.call('VideoPortGetBytesUsed', { pDma: 0n });
  };
  bytesUsed();
  for (let i = 0; i < 1500; i++) {
    r.call('@write', { va: fb + BigInt(i * 16), data: new Uint8Array([i & 0xff, i >> 8]) });
    r.call('@read', { va: fb + BigInt(i * 16), length: 2 });
  }
  bytesUsed();
  return { header: KITCHEN_HEADER, calls: r.calls };
}

function file(name: string, content: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The file replayed read whole and streamed, with `more` settings. */
async function both(path: string, more: Partial<ReplaySettings>) {
  const whole: TraceItem = { id: 0, label: path, path, size: 1 };
  const streamed: TraceItem = { ...whole, size: streamBytesMin + 1 };
  const s = { ...settings, ...more };
  const [a] = await runReplayTask({ settings: s, items: [whole] });
  const [b] = await runReplayTask({ settings: s, items: [streamed] });
  return [a, b];
}

describe('stopAtViolation', () => {
  it('stops after the first violation, the one a whole replay lists first, and counts the rest', async () => {
    const trace = failingEarly();
    const path = file('early.vpt', encodeVpt(trace));
    const [full] = await both(path, {});
    expect(full?.result?.calls).toBe(3005);
    expect(full?.result?.violations.map((v) => v.callIndex)).toEqual([2, 3004]);
    for (const r of await both(path, { stopAtViolation: {} })) {
      expect(r?.result?.violations).toEqual(full?.result?.violations.slice(0, 1));
      expect(r?.result?.calls).toBe(3); // the rest was not replayed
      expect(r?.result?.interrupted).toBe(true);
      expect(r?.traceCalls).toBe(3005);
      expect(r?.inputError).toBeUndefined();
    }
  });

  it('stops at the first violation of the kind and function asked for, or runs to the end', async () => {
    const path = file('early2.vpt', encodeVpt(failingEarly()));
    const fn = { kind: 'inert-return-mismatch', fn: 'VideoPortGetBytesUsed' };
    for (const r of await both(path, { stopAtViolation: fn }))
      expect([r?.result?.calls, r?.traceCalls]).toEqual([3, 3005]);
    // Nothing matches: the whole trace replays, as without the option.
    for (const r of await both(path, { stopAtViolation: { kind: 'memory-corrupted' } })) {
      expect(r?.result?.calls).toBe(3005);
      expect(r?.result?.interrupted).toBeUndefined();
      expect(r?.traceCalls).toBe(3005);
    }
  });

  it('still refuses bad input after the violation, and a handle no call returned', async () => {
    const jsonl = formatJsonl(failingEarly());
    const bad = file('bad.jsonl', `${jsonl}{"fn":"VideoPortNoSuchCall","args":{}}\n`);
    for (const r of await both(bad, { stopAtViolation: {} })) {
      expect(r?.inputError).toMatch(/bad\.jsonl:3007: .*VideoPortNoSuchCall/);
      expect(r?.result?.calls).toBe(3);
    }
    const dangling = file(
      'dangling.jsonl',
      `${jsonl}{"fn":"VideoPortPutDmaAdapter","args":{"hwDeviceExtension":"0xffffe00000001000","vpDmaAdapter":"0x1234"}}\n`,
    );
    for (const r of await both(dangling, { stopAtViolation: {} }))
      expect(r?.inputError).toMatch(/dangling\.jsonl:3007: .*no earlier call returned/);
  });
});
