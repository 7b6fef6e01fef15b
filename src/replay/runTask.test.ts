// The worker's side of replay: a .vpt or JSONL above streamBytesMin is streamed (checked as it feeds the
// replay, in one pass) and must give exactly what reading it whole gives, bad input included.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Recorder } from '../model/recorder.js';
import { formatJsonl } from '../trace/jsonl.js';
import { decodeVpt, encodeVpt } from '../trace/vpt.js';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import type { ItemResult, ReplaySettings, TraceItem } from './protocol.js';
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
async function both(
  path: string,
  target = 'model',
): Promise<[ItemResult | undefined, ItemResult | undefined]> {
  const whole: TraceItem = { id: 0, label: path, path, size: 1 };
  const streamed: TraceItem = { id: 0, label: path, path, size: streamBytesMin + 1 };
  const [a] = await runReplayTask({ settings: { ...settings, target }, items: [whole] });
  const [b] = await runReplayTask({ settings: { ...settings, target }, items: [streamed] });
  return [a, b];
}

describe('runReplayTask on a big .vpt (streamed)', () => {
  it('replays exactly as a whole read does, violations included', async () => {
    for (const target of ['model', 'mutant:mapdma-corrupts-common-buffer']) {
      const path = file('kitchen.vpt', encodeVpt({ header: KITCHEN_HEADER, calls: kitchenSink() }));
      const [a, b] = await both(path, target);
      expect(b).toEqual(a);
      expect(b?.result?.calls).toBe(kitchenSink().length);
    }
  });

  it('streams frame after frame: a violation in a late frame is found at the same call', async () => {
    // 3,000 calls (several frames of at most 512), the violation in the last one.
    const r = new Recorder({}, true);
    const fb = r.ptr('VideoPortGetDeviceBase', {
      ioAddress: 0xe0000000n,
      numberOfUchars: 0x10000,
      inIoSpace: 0,
    });
    for (let i = 0; i < 1500; i++) {
      r.call('@write', { va: fb + BigInt(i * 16), data: new Uint8Array([i & 0xff, i >> 8]) });
      r.call('@read', { va: fb + BigInt(i * 16), length: 2 });
    }
    r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
    r.call('VideoPortGetBytesUsed', { pDma: 0n });
    const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: r.calls });
    const decoded = decodeVpt(bytes);
    expect(decoded.ok && decoded.value.calls.length).toBe(3003);
    const path = file('long.vpt', bytes);
    const whole = { id: 0, label: path, path, size: 1 };
    const big = { ...whole, size: streamBytesMin + 1 };
    const target = 'mutant:bytes-used-remembered';
    const [a] = await runReplayTask({ settings: { ...settings, target }, items: [whole] });
    const [b] = await runReplayTask({ settings: { ...settings, target }, items: [big] });
    expect(b).toEqual(a);
    expect(b?.result?.violations[0]).toMatchObject({
      kind: 'inert-return-mismatch',
      callIndex: 3002,
    });
  });

  it('reports a captured trace using a handle never returned as bad input', async () => {
    const calls = kitchenSink().filter((c) => c.fn !== 'VideoPortGetDmaAdapter');
    const path = file('broken.vpt', encodeVpt({ header: KITCHEN_HEADER, calls }));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect(b?.inputError).toMatch(/which no earlier call returned/);
  });

  it('replays a truncated file up to the damage and reports the damage, naming the offset', async () => {
    const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: kitchenSink() });
    const path = file('cut.vpt', bytes.subarray(0, bytes.length - 10));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect(b?.inputError).toBeUndefined();
    expect(b?.damage).toMatch(/^.*cut\.vpt: byte \d+: truncated frame/);
    // The kitchen sink is one frame: nothing before the damage, nothing replayed.
    expect(b?.result?.calls).toBe(0);
  });

  /** 3,000 calls in several frames after `prefix`, with a bit flipped in the last frame. */
  function damagedLate(name: string, prefix: (r: Recorder) => void, damage = true): string {
    const r = new Recorder({}, true);
    prefix(r);
    framebufferTraffic(r, 1500);
    const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: r.calls });
    if (damage) bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x40;
    return file(name, bytes);
  }

  it('replays the frames before damage in a late frame, streamed or not, and reports it', async () => {
    const [a, b] = await both(damagedLate('late.vpt', () => undefined));
    expect(b).toEqual(a);
    expect(b?.inputError).toBeUndefined();
    expect(b?.damage).toMatch(/late\.vpt: byte \d+: frame checksum mismatch/);
    // 3,001 calls in frames of 512: the five intact frames replay, the damaged sixth does not.
    expect(b?.result).toMatchObject({ outcome: 'pass', calls: 5 * 512 });
  });

  it('finds a violation before the damage: the damage does not hide it', async () => {
    const path = damagedLate('late-bug.vpt', (r) => {
      r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
      r.call('VideoPortGetBytesUsed', { pDma: 0n });
    });
    const [a, b] = await both(path, 'mutant:bytes-used-remembered');
    expect(b).toEqual(a);
    expect(b?.damage).toMatch(/late-bug\.vpt/);
    expect(b?.result?.violations[0]).toMatchObject({
      kind: 'inert-return-mismatch',
      callIndex: 1,
    });
  });

  it('reads to the end after the target crashed early, so late damage is still reported', async () => {
    const doubleFree = (r: Recorder): void => {
      const block = r.ptr('VideoPortAllocatePool', { poolType: 0, numberOfBytes: 64, tag: 1 });
      r.call('VideoPortFreePool', { ptr: block });
      r.call('VideoPortFreePool', { ptr: block });
    };
    const target = 'mutant:crash-on-double-free-pool';
    const run = async (path: string) => {
      const whole = { id: 0, label: path, path, size: 1 };
      const big = { ...whole, size: streamBytesMin + 1 };
      const [a] = await runReplayTask({ settings: { ...settings, target }, items: [whole] });
      const [b] = await runReplayTask({ settings: { ...settings, target }, items: [big] });
      expect(b).toEqual(a);
      return b;
    };
    // Undamaged, the trace is the target's crash at the second free (call 2)...
    const clean = await run(damagedLate('crash.vpt', doubleFree, false));
    expect(clean?.result?.outcome).toBe('crash');
    expect(clean?.result?.violations[0]).toMatchObject({ kind: 'target-crashed', callIndex: 2 });
    // ...and damaged 3,000 calls later, the same crash and the damage, streamed or not.
    const damaged = await run(damagedLate('crash-then-damage.vpt', doubleFree));
    expect(damaged?.result?.violations[0]).toMatchObject({ kind: 'target-crashed', callIndex: 2 });
    expect(damaged?.damage).toMatch(/crash-then-damage\.vpt/);
  });
});

describe('runReplayTask on a big JSONL (streamed)', () => {
  it('replays exactly as a whole read does, and reports a bad late line as a whole read does', async () => {
    const text = formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() });
    for (const target of ['model', 'mutant:mapdma-corrupts-common-buffer']) {
      const path = file('kitchen.jsonl', new TextEncoder().encode(text));
      const [a, b] = await both(path, target);
      expect(b).toEqual(a);
      expect(b?.result?.calls).toBe(kitchenSink().length);
    }
    const lines = text.trimEnd().split('\n');
    lines.splice(lines.length - 2, 1, '{"fn":"VideoPortNoSuchCall","args":{}}');
    const path = file('bad.jsonl', new TextEncoder().encode(`${lines.join('\n')}\n`));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect(b?.inputError).toMatch(
      new RegExp(`bad\\.jsonl:${lines.length - 1}: .*unknown function`),
    );
  });

  it('replays a capture cut off mid-line up to its last whole line, and reports the cut', async () => {
    const text = formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() });
    const lines = text.trimEnd().split('\n');
    // A writer stopped 10 characters into the sixth call's line.
    const cut = `${lines.slice(0, 6).join('\n')}\n${(lines[6] ?? '').slice(0, 10)}`;
    const path = file('cut.jsonl', new TextEncoder().encode(cut));
    const [a, b] = await both(path);
    expect(b).toEqual(a);
    expect(b?.damage).toMatch(/cut\.jsonl:7: truncated: the last line stops before its newline/);
    expect(b?.result?.calls).toBe(5);
  });
});

describe('runReplayTask with a target that does not start', () => {
  it('files the failure under fn (start), not under the first call it never reached', async () => {
    const factory = join(import.meta.dirname, '../../test/fixtures/failing-factory.mjs');
    const text = formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() });
    const path = file('never-started.jsonl', new TextEncoder().encode(text));
    process.env['VPDMA_FIXTURE_FACTORY'] = 'throw';
    try {
      const [r] = await runReplayTask({
        settings: { ...settings, target: `module:${factory}` },
        items: [{ id: 0, label: path, path, size: 1 }],
      });
      expect(kitchenSink()[0]?.fn).not.toBe('(start)');
      expect(r?.result?.violations).toEqual([
        expect.objectContaining({ kind: 'target-crashed', fn: '(start)', callIndex: 0 }),
      ]);
      expect(r?.result?.violations[0]?.message).toMatch(/^the target could not start: /);
    } finally {
      delete process.env['VPDMA_FIXTURE_FACTORY'];
    }
  });
});
