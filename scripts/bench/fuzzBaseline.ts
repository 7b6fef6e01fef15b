// The straightforward fast-check approach, for comparison with `vpdma fuzz`:
// fc.assert(fc.property(fc.commands(...), cmds => fc.modelRun(...))) on the same model, with
// equivalent commands. Each command is one call drawn by the same call-table arbitrary the
// fuzzer uses (anyCallArb, the table's own weights), resolved against the oracle's live state
// the same way (CaseBuilder: coherent fix-ups, producers) and checked by the same Replayer, so
// the two differ only in how cases are generated and scheduled. fc.commands draws about five
// commands per run by default; `commandsMax` with size 'max' raises that to the fuzzer's case
// lengths (compare at equal lengths). Single-threaded: fast-check runs properties in one thread.
import fc from 'fast-check';
import { CaseBuilder } from '../../src/fuzz/builder.js';
import { anyCallArb } from '../../src/fuzz/arbitraries.js';
import type { AbsCall } from '../../src/fuzz/program.js';
import { swarmFor } from '../../src/fuzz/weights.js';
import { resolveDevice } from '../../src/model/device.js';
import { Replayer } from '../../src/replay/replay.js';
import { createSession, type TargetSession } from '../../src/replay/sessions.js';
import { parseTargetSpec } from '../../src/replay/targetSpec.js';
import type { Target } from '../../src/replay/target.js';
import { emptyHeader } from '../../src/trace/trace.js';

interface World {
  readonly replayer: Replayer;
  calls: number;
}

class Failure extends Error {}

/** One call of the table, resolved against the oracle when it runs. */
class CallCommand implements fc.AsyncCommand<World, Target> {
  constructor(readonly call: AbsCall) {}
  check(): boolean {
    return true;
  }
  async run(w: World): Promise<void> {
    const b = new CaseBuilder([this.call], 8);
    for (
      let c = b.next(w.replayer.model.state);
      c !== undefined;
      c = b.next(w.replayer.model.state)
    ) {
      // The replayer is synchronous where it can be; obsolete calls may need a promise.
      const step = w.replayer.step(c);
      const ok = step instanceof Promise ? await step : step;
      w.calls++;
      const v = w.replayer.violations[0];
      if (!ok || v !== undefined) throw new Failure(`${v?.kind ?? 'crash'} in ${v?.fn ?? c.fn}`);
    }
  }
  toString(): string {
    return this.call.fn;
  }
}

export interface BaselineResult {
  readonly runs: number;
  readonly calls: number;
  readonly ms: number;
  /** Set when a run failed: what, when, and after how many runs. */
  readonly failure?: { readonly message: string; readonly ms: number; readonly runs: number };
}

export async function session(spec: string): Promise<TargetSession> {
  const parsed = parseTargetSpec(spec);
  if (!parsed.ok) throw new Error(parsed.error);
  const s = await createSession(parsed.value, 1000);
  if (!s.ok) throw new Error(s.error);
  return s.value;
}

/** Runs the fast-check baseline until `timeMs` or its first failure (no shrinking). */
export async function runBaseline(
  spec: string,
  seed: number,
  timeMs: number,
  commandsMax: number,
  /** Which failures end the run (default: any); others are skipped like passing runs. */
  wanted: (message: string) => boolean = () => true,
): Promise<BaselineResult> {
  const s = await session(spec);
  const device = resolveDevice({});
  const header = emptyHeader();
  const cmdArb = anyCallArb(swarmFor(seed, 0)).map((c) => new CallCommand(c));
  let runs = 0;
  let calls = 0;
  let failure: BaselineResult['failure'];
  const started = performance.now();
  const targets: Target[] = [];
  // Targets are opened before the property (session.open is async; modelRun is not).
  const open = async (): Promise<void> => {
    while (targets.length < 64) targets.push(await s.open(device, 'docs'));
  };
  await open();
  const property = fc.asyncProperty(
    fc.commands([cmdArb], { maxCommands: commandsMax, size: 'max' }),
    async (cmds) => {
      const target = targets.pop() ?? (await s.open(device, 'docs'));
      const w: World = {
        replayer: new Replayer(header, target, { profile: 'docs', callTimeoutMs: 1000 }),
        calls: 0,
      };
      runs++;
      try {
        await fc.asyncModelRun(() => ({ model: w, real: target }), cmds);
      } finally {
        calls += w.calls;
      }
    },
  );
  for (;;) {
    const left = timeMs - (performance.now() - started);
    if (left <= 0 || failure !== undefined) break;
    const r = await fc.check(property, {
      seed: seed + runs,
      numRuns: 64,
      endOnFailure: true,
      plugins: [fc.interruptAfterTimeLimit(left)],
    });
    const message = String(r.errorInstance);
    if (r.failed && wanted(message)) failure = { message, ms: performance.now() - started, runs };
    await open();
  }
  await s.close();
  return {
    runs,
    calls,
    ms: performance.now() - started,
    ...(failure === undefined ? {} : { failure }),
  };
}
