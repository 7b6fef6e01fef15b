// The C target's state() in the documented shape (docs/target-protocol.md "The shape of
// `state`"): after every call of the bundled corpus it agrees with the oracle's live objects
// as `replay --explain` compares them, and its transfers carry every field the model's do
// (--explain compares only the fields both report, so agreement alone would not show that).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profileOf, resolveDevice } from '../../src/model/device.js';
import { TargetStateWatch } from '../../src/replay/explainState.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { readTrace } from '../../src/store/traceFiles.js';
import { BINARY, DIR } from './testKit.js';

const CORPUS = path.join(DIR, '../../corpus');
const children: ProcessChild[] = [];

afterAll(() => {
  for (const c of children) c.kill();
});

describe("the C target's state()", () => {
  it("agrees with the oracle's after every call of the corpus, transfers with every field", async () => {
    const differing: string[] = [];
    const transferFields = new Set<string>();
    const modelFields = new Set<string>();
    let calls = 0;
    for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.jsonl'))) {
      const t = await readTrace(path.join(CORPUS, f));
      if (!t.ok) throw new Error(t.error.message);
      const { header } = t.value;
      const options = {
        command: BINARY,
        device: resolveDevice(header.device),
        profile: profileOf(header),
        timeoutMs: 5000,
      };
      const target = await createProcessTarget(options);
      children.push(target.child);
      const watch = new TargetStateWatch();
      const result = await replayTrace(header, t.value.calls, target, {
        afterCall: async (i, view) => {
          calls++;
          await watch.after(i, view);
          const l = watch.lines(i);
          if (!(l[0] ?? '').startsWith('  target state agrees'))
            differing.push(`${f} call ${i}`, ...l);
          const state = (await target.state?.()) as { transfers?: object[] } | undefined;
          for (const x of state?.transfers ?? []) for (const k in x) transferFields.add(k);
          for (const x of view.model.liveState().transfers)
            for (const k of Object.keys(x)) modelFields.add(k);
        },
      });
      expect(result.violations.map((v) => `${f}: ${v.message}`)).toEqual([]);
    }
    expect(differing).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect(modelFields.size).toBeGreaterThan(6);
    expect([...transferFields].sort()).toEqual([...modelFields].sort());
  });
});
