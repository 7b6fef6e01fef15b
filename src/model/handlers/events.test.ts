// H. VideoPort events: Create/Delete/Set/Clear/ReadState and WaitForSingleObject.
import { describe, expect, it } from 'vitest';
import { ERROR_INVALID_PARAMETER, NO_ERROR, WAIT_TIMEOUT } from '../../core/constants.js';
import { objectsMax } from '../../core/limits.js';
import { PROFILES } from '../device.js';
import type { Recorder } from '../recorder.js';
import { driver, WILD_VA } from '../testDevice.js';

function create(r: Recorder, eventFlag: number): bigint {
  const got = r.call('VideoPortCreateEvent', { eventFlag, unused: 0n });
  expect(got.ret).toBe(NO_ERROR);
  return got.out?.['ppEvent'] as bigint;
}
const on = (fn: string, r: Recorder, pEvent: bigint) => r.call(fn, { pEvent });
const wait = (r: Recorder, object: bigint, timeout?: bigint) =>
  r.call('VideoPortWaitForSingleObject', timeout === undefined ? { object } : { object, timeout });
const stateOf = (r: Recorder, e: bigint) => on('VideoPortReadStateEvent', r, e).ret;

describe.each(PROFILES)('VideoPortCreateEvent (%s)', (profile) => {
  it.each([
    [0, 'synchronization', false],
    [1, 'notification', false],
    [2, 'synchronization', true],
    [3, 'notification', true],
  ])('EventFlag %i: %s, signaled %s', (flags, branch, signaled) => {
    const r = driver(profile);
    const got = r.call('VideoPortCreateEvent', { eventFlag: flags, unused: 0n });
    const handle = got.out?.['ppEvent'] as bigint;
    expect(got).toEqual({ ret: NO_ERROR, branch, out: { ppEvent: handle } });
    expect(handle).not.toBe(0n);
    expect(r.model.liveState().events).toEqual([{ handle, signaled }]);
    expect(stateOf(r, handle)).toBe(signaled ? 1 : 0);
  });

  it('fails with ERROR_NOT_ENOUGH_MEMORY at the object limit, *ppEvent unwritten', () => {
    const r = driver(profile);
    for (let i = 0; i < objectsMax; i++) create(r, 0);
    const got = r.call('VideoPortCreateEvent', { eventFlag: 0, unused: 0n, ppEvent: 0x99n });
    expect(got).toEqual({ ret: 8, branch: 'limit', out: { ppEvent: 0x99n } });
  });
});

describe.each(PROFILES)('VideoPortDeleteEvent (%s)', (profile) => {
  it('deletes; a second delete is misuse (87)', () => {
    const r = driver(profile);
    const e = create(r, 0);
    expect(on('VideoPortDeleteEvent', r, e)).toEqual({ ret: NO_ERROR, branch: 'ok' });
    expect(r.model.liveState().events).toEqual([]);
    expect(on('VideoPortDeleteEvent', r, e)).toMatchObject({
      ret: ERROR_INVALID_PARAMETER,
      misuse: 'delete-unknown-event',
    });
  });

  it('NULL is ERROR_INVALID_PARAMETER: defined by ReactOS, misuse per the docs', () => {
    const r = driver(profile);
    const got = on('VideoPortDeleteEvent', r, 0n);
    expect(got.ret).toBe(ERROR_INVALID_PARAMETER);
    expect(got.misuse).toBe(profile === 'reactos' ? undefined : 'delete-unknown-event');
  });
});

describe.each(PROFILES)('Set/Clear/ReadStateEvent (%s)', (profile) => {
  it('SetEvent returns the previous state; ClearEvent resets it', () => {
    const r = driver(profile);
    const e = create(r, 0);
    expect(on('VideoPortSetEvent', r, e)).toEqual({ ret: 0, branch: 'was-clear' });
    expect(on('VideoPortSetEvent', r, e)).toEqual({ ret: 1, branch: 'was-signaled' });
    expect(r.model.liveState().events).toEqual([{ handle: e, signaled: true }]);
    expect(on('VideoPortClearEvent', r, e)).toEqual({ branch: 'ok' });
    expect(stateOf(r, e)).toBe(0);
  });

  it('ReadStateEvent and clearing a clear event change nothing', () => {
    const r = driver(profile);
    const e = create(r, 0);
    const before = r.model.version();
    on('VideoPortReadStateEvent', r, e);
    on('VideoPortClearEvent', r, e);
    expect(r.model.version()).toBe(before);
  });

  it.each([
    ['VideoPortSetEvent', 'set-unknown-event'],
    ['VideoPortClearEvent', 'clear-unknown-event'],
    ['VideoPortReadStateEvent', 'read-unknown-event'],
  ])('%s on a deleted, NULL or wild event is misuse', (fn, tag) => {
    const r = driver(profile);
    const e = create(r, 0);
    on('VideoPortDeleteEvent', r, e);
    for (const h of [e, 0n, WILD_VA]) expect(on(fn, r, h).misuse).toBe(tag);
  });
});

describe.each(PROFILES)('VideoPortWaitForSingleObject (%s)', (profile) => {
  it('a signaled synchronization event satisfies one wait and resets', () => {
    const r = driver(profile);
    const e = create(r, 2);
    expect(wait(r, e, 0n)).toEqual({ ret: NO_ERROR, branch: 'signaled' });
    expect(stateOf(r, e)).toBe(0);
    expect(wait(r, e, 0n)).toEqual({ ret: WAIT_TIMEOUT, branch: 'timeout' });
  });

  it('a notification event stays signaled', () => {
    const r = driver(profile);
    const e = create(r, 3);
    expect(wait(r, e).ret).toBe(NO_ERROR);
    expect(wait(r, e, -10000n).ret).toBe(NO_ERROR);
    expect(stateOf(r, e)).toBe(1);
  });

  it('unsignaled with a timeout: WAIT_TIMEOUT; with none: a deadlock (misuse)', () => {
    const r = driver(profile);
    const e = create(r, 1);
    const before = r.model.version();
    expect(wait(r, e, -10000n)).toEqual({ ret: WAIT_TIMEOUT, branch: 'timeout' });
    expect(wait(r, e)).toMatchObject({ ret: WAIT_TIMEOUT, misuse: 'infinite-wait-deadlock' });
    expect(r.model.version()).toBe(before);
  });

  it('an unknown object is ERROR_INVALID_PARAMETER (misuse)', () => {
    const r = driver(profile);
    expect(wait(r, WILD_VA, 0n)).toMatchObject({
      ret: ERROR_INVALID_PARAMETER,
      misuse: 'wait-unknown-object',
    });
  });
});
