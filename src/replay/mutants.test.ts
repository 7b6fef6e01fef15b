// Where each canary fires in the kitchen trace: replay.test.ts checks only the first
// violation's kind, so a canary turned into another bug of the same kind (another field, another
// function, another trigger) kept passing. Pinned here as call index, function and field.
import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { resolveDevice } from '../model/device.js';
import { emptyHeader } from '../trace/trace.js';
import { createMutantTarget, MUTANTS } from './mutants.js';
import { replayTrace } from './replayTrace.js';

describe('every bundled mutant', () => {
  it('is first found at the call, function and field its description names, citing its rule', async () => {
    const device = resolveDevice(KITCHEN_DEVICE);
    const where: Record<string, string> = {};
    const cites: Record<string, string> = {};
    for (const m of MUTANTS) {
      const target = createMutantTarget(m, { device, profile: 'docs' });
      const header = { ...emptyHeader(), device: KITCHEN_DEVICE, profile: 'docs' as const };
      const r = await replayTrace(header, kitchenSink(), target, { callTimeoutMs: 200 });
      const v = r.violations[0];
      where[m.name] = v === undefined ? 'none' : `${v.callIndex} ${v.fn} ${v.field ?? '-'}`;
      cites[m.name] = [v?.rule ?? '-', ...(v?.stricter === undefined ? [] : [v.stricter])].join(
        ' ',
      );
    }
    // The rule each first violation cites (ruleSource.ts KIND_CITATIONS): the obsolete calls'
    // invariant whichever call, a compared answer its call's section (GetBytesUsed's constant:
    // §1 E), memory at an event, a crash and a hang nothing.
    const INERT = 'spec §4 invariant 5';
    expect(cites).toEqual({
      'associate-writes-vrp': INERT,
      'bytes-used-remembered': 'spec §1 E',
      'completedma-from-device-fails': 'spec §1 D',
      'crash-on-double-free-pool': '-',
      'devicedma-drops-last-byte': '-',
      'dodma-signals-event': INERT,
      'drops-map-registers': INERT,
      'hang-on-signaled-wait': '-',
      'mapdma-corrupts-common-buffer': INERT,
      'mapdma-user-mode-nonnull': INERT,
      'mapdma-writes-length': INERT,
      'startdma-ignores-offset': 'spec §1 D docs/spec-gaps.md#startdmas-grant',
      'unmapdma-tears-down-view': INERT,
    });
    expect(where).toMatchInlineSnapshot(`
      {
        "associate-writes-vrp": "23 VideoPortAssociateEventsWithDmaHandle out.pVrp.outputBufferLength",
        "bytes-used-remembered": "22 VideoPortGetBytesUsed ret",
        "completedma-from-device-fails": "18 VideoPortCompleteDma ret",
        "crash-on-double-free-pool": "31 VideoPortFreePool -",
        "devicedma-drops-last-byte": "13 @deviceDma 0xffffc00000013fff",
        "dodma-signals-event": "24 VideoPortDoDma state.events",
        "drops-map-registers": "11 VideoPortGetDmaContext state.adapters",
        "hang-on-signaled-wait": "27 VideoPortWaitForSingleObject -",
        "mapdma-corrupts-common-buffer": "9 VideoPortMapDmaMemory 0xffffa00000009000",
        "mapdma-user-mode-nonnull": "10 VideoPortMapDmaMemory ret",
        "mapdma-writes-length": "10 VideoPortMapDmaMemory out.length",
        "startdma-ignores-offset": "7 VideoPortStartDma out.pLength",
        "unmapdma-tears-down-view": "25 VideoPortUnmapDmaMemory state.views",
      }
    `);
  });
});
