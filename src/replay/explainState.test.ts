// `vpdma replay --explain` shows the target's own state() beside the oracle's at a call with a
// violation: one line when they agree, the entries that differ when not, one line when the
// target has no state() or its state() fails; the rest of the explanation is printed as ever.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profileOf, resolveDevice } from '../model/device.js';
import { readTrace } from '../store/traceFiles.js';
import { parseText } from '../trace/textParse.js';
import { Explainer } from './explain.js';
import { stateEntriesShown, TargetStateWatch } from './explainState.js';
import { createModelTargetSync } from './modelTarget.js';
import { replayTrace } from './replayTrace.js';
import type { Target, TargetState } from './target.js';

// Call 0 creates an event; calls 1 and 2 are where the target below says it is signaled (the
// violations).
const REPRO = [
  '#! vpdma-trace v1 profile=docs',
  'VideoPortCreateEvent(hwDeviceExtension=0xffffe00000001000, eventFlag=0, unused=0x0) -> 0 out(ppEvent=<r0=>0xffffe00010000000)',
  'VideoPortReadStateEvent(hwDeviceExtension=0xffffe00000001000, pEvent=r0)',
  'VideoPortReadStateEvent(hwDeviceExtension=0xffffe00000001000, pEvent=r0)',
  '',
].join('\n');

const VIOLATION_AT = /^ {2}VIOLATION return-mismatch: VideoPortReadStateEvent /;

const CORPUS = new URL('../../corpus', import.meta.url).pathname;

type StateOf = (real: TargetState, calls: number) => unknown;

/**
 * REPRO explained against the model in other addresses than the oracle's (so an agreeing state
 * agrees only through the values learned), answering ReadStateEvent 1; its state() is `state`
 * of the real one and the calls made so far (undefined: no state()).
 */
async function explained(state: StateOf | undefined, callTimeoutMs?: number) {
  const trace = parseText(REPRO);
  if (!trace.ok) throw new Error(trace.error.message);
  const out: string[] = [];
  const ex = new Explainer(
    'repro.txt',
    () => undefined,
    (t) => void out.push(t),
  );
  const device = resolveDevice(trace.value.header.device);
  const model = createModelTargetSync({ device, profile: 'docs', layout: 'alternate' });
  let calls = 0;
  const target: Target = {
    call: (c) => {
      calls++;
      const r = model.call(c);
      return c.fn === 'VideoPortReadStateEvent' ? { ...r, ret: 1 } : r;
    },
    read: (a, n) => model.read(a, n),
  };
  if (state !== undefined)
    target.state = () => state(model.state?.() as TargetState, calls) as TargetState;
  const result = await replayTrace(trace.value.header, trace.value.calls, target, {
    ...ex.hooks(),
    ...(callTimeoutMs === undefined ? {} : { callTimeoutMs }),
  });
  ex.end(result);
  const lines = out.join('').split('\n');
  return { lines, under: under(lines, 0), second: under(lines, 1), result };
}

/** The lines under violation `n` (after the rule it cites) up to the next call or the end. */
function under(lines: readonly string[], n: number): string[] {
  const at = lines.flatMap((l, i) => (VIOLATION_AT.test(l) ? [i] : []))[n] ?? -1;
  expect(at).toBeGreaterThan(0);
  expect(lines[at + 1]).toMatch(/^ {4}\(rule: /);
  const rest = lines.slice(at + 2);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  return rest.slice(0, end);
}

/** The real state with every event signaled from call `from` on. */
const signaled =
  (from: number): StateOf =>
  (real, calls) => {
    if (calls <= from) return real;
    const events = real['events'] as readonly Record<string, unknown>[];
    return { ...real, events: events.map((e) => ({ ...e, signaled: true })) };
  };

const END = '# end: 3 calls replayed, 2 violations, outcome fail';

describe('--explain: the target state beside the oracle', () => {
  it("says in one line that a target's state agrees, in the oracle's addresses", async () => {
    const { lines, under, second, result } = await explained((real) => real);
    expect(under).toEqual(['  target state agrees with the model (1 object)']);
    expect(second).toEqual(under);
    // What only one side reports is named, not compared: a key, a field of an entry.
    const partial = await explained((real) => {
      const events = real['events'] as readonly { handle: bigint }[];
      const rest = Object.fromEntries(Object.entries(real).filter(([k]) => k !== 'blocks'));
      return { ...rest, events: events.map((e) => ({ handle: e.handle })), debug: 1 };
    });
    expect(partial.under).toEqual([
      '  target state agrees with the model (1 object; not compared: blocks (the oracle only), debug (the target only))',
    ]);
    expect(lines.at(-2)).toBe(END);
    expect(result.outcome).toBe('fail');
  });

  it('shows the entry that differs, paired with the oracle entry most like it', async () => {
    const { under } = await explained(signaled(1));
    expect(under).toEqual([
      "  target state differs from the model's from this call on (the target's handles and addresses in the oracle's, where learned):",
      '    events: the target has {handle=0xffffe00010000000, signaled=true} where the oracle has {handle=0xffffe00010000000, signaled=false}',
    ]);
    // docs/debugging.md shows these two lines.
    const doc = readFileSync(new URL('../../docs/debugging.md', import.meta.url), 'utf8');
    const shown = doc.split('\n').map((l) => l.trim());
    const at = shown.indexOf(under[0]?.trim() ?? '');
    expect(shown.slice(at, at + 2)).toEqual(under.map((l) => l.trim()));
  });

  it('says since which call the states have differed, and a difference seen before in a line', async () => {
    const { under, second } = await explained(signaled(0));
    expect(under[0]).toMatch(/^ {2}target state differs from the model's since call 0 \(/);
    expect(under).toHaveLength(2);
    expect(second).toEqual(['  target state: the same 1 difference as at call 1']);
  });

  it('prints a few differences and counts the rest, each cut short', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ note: 'x'.repeat(1000), i }));
    const { under } = await explained((real) => ({ ...real, blocks: many }));
    expect(under).toHaveLength(1 + stateEntriesShown + 1);
    expect(under.at(-1)).toBe(`    ... and ${50 - stateEntriesShown} more differences`);
    for (const l of under) expect(l.length).toBeLessThan(400);
  });

  it('says in one line that the target has no state()', async () => {
    const { under, second } = await explained(undefined);
    expect(under).toEqual([
      "  target has no state(): its own objects cannot be shown beside the oracle's",
    ]);
    expect(second).toEqual([]);
  });

  it('says in one line that state() threw, answered garbage or hung; the rest is printed', async () => {
    const cases: [StateOf, string][] = [
      [
        () => {
          throw new Error('boom');
        },
        'state() threw Error: boom after call 0',
      ],
      [() => 42, 'state() answered the number 42, not an object after call 0'],
      [
        (real, calls) => (calls < 2 ? real : new Promise(() => undefined)),
        'state(): no answer within 50 ms after call 1',
      ],
    ];
    for (const [state, why] of cases) {
      const { lines, under, second, result } = await explained(state, 50);
      expect(under).toEqual([`  target state not shown: ${why} (not asked again)`]);
      expect(lines.at(-2)).toBe(END);
      expect(result.violations.map((v) => v.kind)).toEqual(['return-mismatch', 'return-mismatch']);
      expect(second).toEqual([]);
    }
  });

  it('finds a correct target in other addresses agreeing after every call of the bundled corpus', async () => {
    // Pending transfers' lists (not learned yet) and locked lists of the target's own size too.
    let calls = 0;
    const differing: string[] = [];
    for (const f of readdirSync(CORPUS).filter((x) => x.endsWith('.jsonl'))) {
      const t = await readTrace(join(CORPUS, f));
      if (!t.ok) throw new Error(t.error.message);
      const { header } = t.value;
      const device = resolveDevice(header.device);
      const target = createModelTargetSync({
        device,
        profile: profileOf(header),
        layout: 'alternate',
      });
      const watch = new TargetStateWatch();
      await replayTrace(header, t.value.calls, target, {
        afterCall: async (i, view) => {
          calls++;
          await watch.after(i, view);
          const l = watch.lines(i);
          if (!(l[0] ?? '').startsWith('  target state agrees'))
            differing.push(`${f} call ${i}`, ...l);
        },
      });
    }
    expect(differing).toEqual([]);
    expect(calls).toBeGreaterThan(500);
  });
});
