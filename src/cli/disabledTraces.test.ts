// skipDisabled streams each file: a disabled call anywhere skips it, damage anywhere keeps it.
// Stopped (Ctrl-C, SIGTERM), it reads no further and keeps what it did not finish.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
import { KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import { writeCommentedTrace } from '../../test/support/commentedTrace.js';
import { skipDisabled } from './disabledTraces.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-disabled-'));

/** 3,001 calls (several JSONL batches), the last a VideoPortGetBytesUsed. */
function lateCall(name: string, damage: boolean): string {
  const r = new Recorder({}, true);
  framebufferTraffic(r, 1500);
  r.call('VideoPortGetBytesUsed', { pDma: 0n });
  let text = formatJsonl({ header: KITCHEN_HEADER, calls: r.calls });
  if (damage) text += '{"fn":"VideoPortGetBytes\n';
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('skipDisabled', () => {
  it('skips a trace whose disabled call comes after thousands of others', async () => {
    const late = lateCall('late.jsonl', false);
    const r = await skipDisabled([late], ['VideoPortGetBytesUsed']);
    expect(r.files).toEqual([]);
    expect(r.skipped).toEqual([
      { trace: late, reason: 'calls VideoPortGetBytesUsed, which --disable names' },
    ]);
    expect(await skipDisabled([late], ['VideoPortMapBankedMemory'])).toEqual({
      files: [late],
      skipped: [],
    });
  });

  it('keeps a trace damaged after its disabled call, for the replay to report', async () => {
    const damaged = lateCall('damaged.jsonl', true);
    expect(await skipDisabled([damaged], ['VideoPortGetBytesUsed'])).toEqual({
      files: [damaged],
      skipped: [],
    });
  });

  it('stopped, ends its read at the next chunk and keeps the files it did not finish', async () => {
    // Its header only after 1.2 MB of comments, and `late`'s disabled call at its end.
    const commented = join(dir, 'commented.txt');
    writeCommentedTrace(commented);
    const late = lateCall('late-stopped.jsonl', false);
    const stopped = await skipDisabled(
      [commented, late],
      ['VideoPortGetBytesUsed'],
      new Map(),
      AbortSignal.abort(),
    );
    expect(stopped).toEqual({ files: [commented, late], skipped: [] });
    // Not stopped, both are read through and skipped.
    const running = new AbortController().signal;
    const whole = await skipDisabled(
      [commented, late],
      ['VideoPortGetBytesUsed'],
      new Map(),
      running,
    );
    expect(whole.files).toEqual([]);
  });
});
