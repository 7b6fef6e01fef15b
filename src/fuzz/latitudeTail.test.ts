// A fuzz case stops its slot's misuseTailMax calls (2, 8 or all: weights.ts) after the replay
// detaches at a call the oracle cannot judge (one past the end of a scatter/gather list the
// target sized differently, replay/listReach.ts), as it does after misuse: only the inert
// checks go on past it. The target is the
// model with the alternate layout, whose list for the base's user buffer is 40 bytes to the
// oracle's 88.
import { describe, expect, it } from 'vitest';
import { resolveDevice } from '../model/device.js';
import { createModelTargetSync } from '../replay/modelTarget.js';
import { replayTrace } from '../replay/replayTrace.js';
import type { TargetSession } from '../replay/sessions.js';
import { parseText } from '../trace/textParse.js';
import { buildBase } from './base.js';
import { caseProgram, generateCase, type CaseContext } from './caseGen.js';
import { runCase } from './runCases.js';

const EXT = 'hwDeviceExtension=0xffffe00000001000';
const BASE = [
  '#! vpdma-trace v1 profile=docs',
  `VideoPortLockPages(${EXT}, pVrp={ioControlCode=0, statusBlock=0x0, inputBuffer=0x1230100, inputBufferLength=10240, outputBuffer=0x0, outputBufferLength=0}, pUEvent=0x0, pDisplayEvent=0x0, dmaFlags=3)`,
  `VideoPortLockBuffer(${EXT}, baseAddress=0xffffa00000000000, length=88, operation=2)`,
  ...Array.from({ length: 20 }, () => `VideoPortGetBytesUsed(${EXT}, pDma=0x0)`),
].join('\n');

const parsed = parseText(BASE);
if (!parsed.ok) throw new Error(parsed.error.message);
const base = buildBase([{ name: 'latitude', trace: parsed.value }], 64);
const ctx: CaseContext = { seed: 5, seedText: '5', callsMax: 64, base: base.entries };
const alternate = (device = resolveDevice({})) =>
  createModelTargetSync({ device, profile: 'docs', layout: 'alternate' });
const session: TargetSession = {
  open: (device) => Promise.resolve(alternate(device)),
  release: () => Promise.resolve(undefined),
  close: () => Promise.resolve(),
};

describe('a fuzz case past a latitude detach', () => {
  it('stops its slot’s tail of calls after it, as after misuse', async () => {
    const settings = { target: 'model', timeoutMs: 1000, sampleBytes: 512, callsMax: 64 };
    const task = {
      settings: { ...settings, seed: 5, seedText: '5' },
      base: base.shared,
      cases: [],
    };
    const checked = new Map<number, number>();
    for (let index = 0; index < 200 && checked.size < 3; index++) {
      const tailMax = caseProgram(ctx, index).misuseTailMax ?? 2;
      if ((checked.get(tailMax) ?? 0) >= 2) continue;
      const t = generateCase(ctx, index);
      const whole = await replayTrace(t.header, t.calls, alternate());
      const at = whole.detachedAt;
      // Cases that detach for this reason, with more than 8 calls after it to cut.
      if (whole.detachedBy !== 'latitude' || at === undefined || t.calls.length <= at + 9) continue;
      expect(whole.violations).toEqual([]);
      const r = await runCase(
        { ...task, cases: [index] },
        ctx,
        session,
        index,
        new Set(),
        new Set(),
      );
      expect({ index, calls: r.calls, violations: r.violations }).toEqual({
        index,
        calls: Math.min(at + 1 + tailMax, t.calls.length),
        violations: [],
      });
      checked.set(tailMax, (checked.get(tailMax) ?? 0) + 1);
    }
    // Each length of tail: cut at 2 and at 8, and run to the case's end.
    expect([...checked.keys()].sort((a, b) => a - b)).toEqual([2, 8, Infinity]);
  });
});
