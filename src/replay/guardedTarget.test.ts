// The guard's copies of state(): the same deeply frozen answer keeps one frozen copy (the
// comparison around obsolete calls is then O(1)); any other answer, a frozen object whose lists
// or getters can still change included, is copied afresh, so a change made in place is seen.
import { describe, expect, it } from 'vitest';
import { guardTarget } from './guardedTarget.js';
import type { TargetState } from './target.js';

function targetAnswering(state: () => unknown): ReturnType<typeof guardTarget> {
  return guardTarget({ call: () => ({}), read: () => new Uint8Array(0), state }, 1000);
}

describe('guardTarget state()', () => {
  it('answers the same frozen copy for the same deeply frozen state', () => {
    const mdl = Object.freeze({ handle: 1n, length: 4096 });
    const frozen = Object.freeze({ mdls: Object.freeze([mdl]) });
    const g = targetAnswering(() => frozen);
    const a = g.state?.() as TargetState;
    const b = g.state?.() as TargetState;
    expect(a).not.toBe(frozen); // a copy: the harness reads only values of its own
    expect(a).toEqual(frozen);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('copies a state that is not frozen every time, so a change in place is seen', () => {
    const live = { events: [{ handle: 1n, signaled: false }] };
    const g = targetAnswering(() => live);
    const a = g.state?.() as TargetState;
    (live.events[0] as { signaled: boolean }).signaled = true;
    const b = g.state?.() as TargetState;
    expect(b).not.toBe(a);
    expect(a).toEqual({ events: [{ handle: 1n, signaled: false }] });
    expect(b).toEqual({ events: [{ handle: 1n, signaled: true }] });
  });

  it('a new frozen state is a new copy', () => {
    let n = 0n;
    const g = targetAnswering(() => Object.freeze({ adapters: Object.freeze([{ handle: ++n }]) }));
    const a = g.state?.() as TargetState;
    const b = g.state?.() as TargetState;
    expect(b).not.toBe(a);
    expect(b).toEqual({ adapters: [{ handle: 2n }] });
  });

  it('copies a frozen state whose list is not frozen every time, so a change in it is seen', () => {
    const events = [{ handle: 1n, signaled: false }];
    const frozen = Object.freeze({ events });
    const g = targetAnswering(() => frozen);
    const a = g.state?.() as TargetState;
    (events[0] as { signaled: boolean }).signaled = true;
    events.push({ handle: 2n, signaled: false });
    const b = g.state?.() as TargetState;
    expect(a).toEqual({ events: [{ handle: 1n, signaled: false }] });
    expect(b).toEqual({
      events: [
        { handle: 1n, signaled: true },
        { handle: 2n, signaled: false },
      ],
    });
  });

  it('copies a frozen state with a getter every time: a frozen getter may answer anything', () => {
    let n = 0;
    const frozen = Object.freeze({
      get adapters() {
        return Object.freeze([Object.freeze({ handle: 1n, mapRegistersUsed: n++ })]);
      },
    });
    const g = targetAnswering(() => frozen);
    const a = g.state?.() as TargetState;
    const b = g.state?.() as TargetState;
    expect(a).toEqual({ adapters: [{ handle: 1n, mapRegistersUsed: 0 }] });
    expect(b).toEqual({ adapters: [{ handle: 1n, mapRegistersUsed: 1 }] });
  });
});
