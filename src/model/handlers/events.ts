// H. Events (spec §1 H). The model is single-threaded: nobody else can signal an event while
// a wait is in progress, so an unsignaled wait with a timeout times out, and one without is
// a deadlock the model reports as misuse instead of hanging.
import {
  ERROR_INVALID_PARAMETER,
  ERROR_NOT_ENOUGH_MEMORY,
  NO_ERROR,
  WAIT_TIMEOUT,
} from '../../core/constants.js';
import { objectsMax } from '../../core/limits.js';
import { big, num } from '../args.js';
import { misuse, ok, OK, type StepResult } from '../result.js';
import type { ModelState } from '../state.js';
import type { Args } from '../values.js';

export function createEvent(s: ModelState, a: Args): StepResult {
  if (s.events.size >= objectsMax) return ok('limit', ERROR_NOT_ENOUGH_MEMORY);
  const flags = num(a['eventFlag']);
  const handle = s.newHandle();
  s.events.set(handle, { handle, notification: (flags & 1) !== 0, signaled: (flags & 2) !== 0 });
  s.bump();
  return ok((flags & 1) !== 0 ? 'notification' : 'synchronization', NO_ERROR, { ppEvent: handle });
}

export function deleteEvent(s: ModelState, a: Args): StepResult {
  const handle = big(a['pEvent']);
  if (!s.events.has(handle)) {
    // ReactOS defines the NULL case; anything else is a stale or wild handle.
    if (handle === 0n && s.reactos) return ok('null', ERROR_INVALID_PARAMETER);
    return misuse('delete-unknown-event', ERROR_INVALID_PARAMETER);
  }
  s.events.delete(handle);
  s.bump();
  return ok('ok', NO_ERROR);
}

export function setEvent(s: ModelState, a: Args): StepResult {
  const e = s.events.get(big(a['pEvent']));
  if (e === undefined) return misuse('set-unknown-event', 0);
  const was = e.signaled;
  if (!was) {
    e.signaled = true;
    s.bump();
  }
  return ok(was ? 'was-signaled' : 'was-clear', was ? 1 : 0);
}

export function clearEvent(s: ModelState, a: Args): StepResult {
  const e = s.events.get(big(a['pEvent']));
  if (e === undefined) return misuse('clear-unknown-event');
  if (e.signaled) {
    e.signaled = false;
    s.bump();
  }
  return OK;
}

export function readStateEvent(s: ModelState, a: Args): StepResult {
  const e = s.events.get(big(a['pEvent']));
  if (e === undefined) return misuse('read-unknown-event', 0);
  return ok(e.signaled ? 'signaled' : 'clear', e.signaled ? 1 : 0);
}

export function waitForSingleObject(s: ModelState, a: Args): StepResult {
  const e = s.events.get(big(a['object']));
  if (e === undefined) return misuse('wait-unknown-object', ERROR_INVALID_PARAMETER);
  if (e.signaled) {
    if (!e.notification) {
      e.signaled = false;
      s.bump();
    }
    return ok('signaled', NO_ERROR);
  }
  if (a['timeout'] === undefined) return misuse('infinite-wait-deadlock', WAIT_TIMEOUT);
  return ok('timeout', WAIT_TIMEOUT);
}
