// Generated cases are well-formed and correct against the reference: over many (seed, index)
// pairs, fresh and mutated, under both profiles, every call validates, the trace replays
// against the model with zero violations, and the calls a worker generates inside replay are
// exactly the ones the main thread regenerates from (seed, index) alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDevice, type Profile } from '../model/device.js';
import type { TraceCall } from '../model/values.js';
import { createModelTargetSync } from '../replay/modelTarget.js';
import { replayTrace } from '../replay/replayTrace.js';
import type { TargetSession } from '../replay/sessions.js';
import { callToJson } from '../trace/json.js';
import { validateCall } from '../trace/validate.js';
import { kitchenSink, KITCHEN_DEVICE } from '../../test/support/kitchenSink.js';
import { emptyHeader } from '../trace/trace.js';
import { buildBase } from './base.js';
import { generateCase, type CaseContext } from './caseGen.js';
import { runCase } from './runCases.js';

const kitchen = { ...emptyHeader(), device: KITCHEN_DEVICE };
const base = buildBase([{ name: 'kitchen', trace: { header: kitchen, calls: kitchenSink() } }], 64);

function ctx(seed: number, withBase: boolean, profile?: Profile): CaseContext {
  return {
    seed,
    seedText: String(seed),
    callsMax: 48,
    base: withBase ? base.entries : [],
    ...(profile === undefined ? {} : { profile }),
  };
}

const caseArb = fc.record({
  seed: fc.nat(),
  index: fc.nat(1_000_000),
  withBase: fc.boolean(),
  profile: fc.constantFrom<Profile>('docs', 'reactos'),
});

describe('generated cases', () => {
  it('validate, and replay against the model with zero violations', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ seed, index, withBase, profile }) => {
        const t = generateCase(ctx(seed, withBase, profile), index);
        expect(t.calls.length).toBeGreaterThan(0);
        t.calls.forEach((c, line) => {
          const v = validateCall(callToJson(c), { file: 'generated', line });
          expect(v.ok ? undefined : v.error).toBeUndefined();
        });
        const target = createModelTargetSync({ device: resolveDevice(t.header.device), profile });
        const r = await replayTrace(t.header, t.calls, target, { profile });
        expect(r.violations).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('are what the worker ran: the calls the target saw equal the regenerated case', async () => {
    const seen: TraceCall[] = [];
    const session: TargetSession = {
      open: (device, profile) => {
        const t = createModelTargetSync({ device, profile });
        return Promise.resolve({
          ...t,
          call: (c) => {
            seen.push({ fn: c.fn, args: c.args });
            return t.call(c);
          },
        });
      },
      release: () => Promise.resolve(undefined),
      close: () => Promise.resolve(),
    };
    const settings = { target: 'model', timeoutMs: 1000, sampleBytes: 512, callsMax: 48 };
    for (const [seed, index, withBase] of [
      [1, 0, false],
      [7, 3, true],
      [99, 12, true],
      [5, 41, false],
    ] as const) {
      seen.length = 0;
      const c = ctx(seed, withBase);
      const task = {
        settings: { ...settings, seed, seedText: String(seed) },
        base: base.shared,
        cases: [index],
      };
      const r = await runCase(task, c, session, index, new Set(), new Set());
      expect(r.violations).toEqual([]);
      expect(seen).toEqual(generateCase(c, index, r.calls).calls);
    }
  });

  it('depend only on (seed, index): the same case twice is the same trace', () => {
    const a = generateCase(ctx(42, true), 17);
    const b = generateCase(ctx(42, true), 17);
    expect(b).toEqual(a);
    expect(generateCase(ctx(43, true), 17)).not.toEqual(a);
  });
});
