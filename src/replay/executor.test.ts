// InlineExecutor (a replay in this thread: the library's fuzzTarget, fuzz's repro checks)
// stopped by its signal the way the pool stops a worker: the trace in progress comes back
// interrupted with its calls and violations so far, and the task's later traces are not begun.
import { afterEach, describe, expect, it } from 'vitest';
import { KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { framebufferTraffic } from '../../test/support/testTraces.js';
import { Recorder } from '../model/recorder.js';
import { encodeVpt } from '../trace/vpt.js';
import { InlineExecutor } from './executor.js';
import { createMutantTarget, MUTANTS } from './mutants.js';
import type { ReplaySettings, TraceItem } from './protocol.js';
import { provideSession } from './runTask.js';
import { factorySession } from './sessions.js';

const spec = 'library:inline-stop';
const settings: ReplaySettings = {
  target: spec,
  paranoid: false,
  timeoutMs: 5000,
  sampleBytes: 512,
};
const mutant = MUTANTS.find((x) => x.name === 'bytes-used-remembered');

/** A violation at call 1 (under bytes-used-remembered), then 1,000 calls that pass. */
const LONG = ((): Recorder => {
  const r = new Recorder({}, true);
  r.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
  r.call('VideoPortGetBytesUsed', { pDma: 0n });
  framebufferTraffic(r, 500);
  return r;
})();
const bytes = encodeVpt({ header: KITCHEN_HEADER, calls: LONG.calls });

let withdraw: (() => void) | undefined;
afterEach(() => withdraw?.());

/**
 * The mutant behind `spec`, answering each call a timer tick later (a target in another
 * process, or one that awaits a device, does): `onCall` hears the count of calls made.
 */
function asyncTarget(onCall: (n: number) => void): void {
  if (mutant === undefined) throw new Error('mutant missing');
  let n = 0;
  const session = factorySession((options) => {
    const t = createMutantTarget(mutant, options);
    const call = t.call.bind(t);
    return Promise.resolve({
      ...t,
      call: async (c: Parameters<typeof call>[0]) => {
        await new Promise((r) => setImmediate(r));
        onCall(++n);
        return call(c);
      },
    });
  }, settings.timeoutMs);
  withdraw = provideSession(spec, settings.timeoutMs, session);
}

describe('InlineExecutor stopped by its signal', () => {
  it('returns the trace in progress interrupted, with what it found, and begins no other', async () => {
    const items: TraceItem[] = [0, 1, 2].map((id) => ({ id, label: `t${id}`, bytes }));
    const ac = new AbortController();
    asyncTarget((n) => {
      if (n === 200) ac.abort();
    });
    const done: number[] = [];
    const results = await new InlineExecutor().run([{ settings, items }], {
      signal: ac.signal,
      onItem: (r) => done.push(r.id),
    });
    expect(done).toEqual([0]);
    expect(results).toHaveLength(1);
    const [r] = results;
    // Stopped at the next call after the abort: the pool's worker stops the same way.
    expect(r?.result).toMatchObject({ outcome: 'fail', interrupted: true, calls: 200 });
    expect(r?.result?.violations[0]).toMatchObject({
      kind: 'inert-return-mismatch',
      callIndex: 1,
    });
    expect(r?.traceCalls).toBeUndefined();
  });

  it('replays every trace to its end when its signal never aborts', async () => {
    const items: TraceItem[] = [0, 1].map((id) => ({ id, label: `t${id}`, bytes }));
    asyncTarget(() => undefined);
    const results = await new InlineExecutor().run([{ settings, items }], {
      signal: new AbortController().signal,
    });
    expect(results.map((r) => [r.result?.calls, r.result?.interrupted])).toEqual([
      [LONG.calls.length, undefined],
      [LONG.calls.length, undefined],
    ]);
  });
});
