// DMA completion signalling with VideoPort events (spec §1 H).
import { Mirror } from '../buffers.js';
import {
  FB,
  FB_BYTES,
  INITIALLY_SIGNALED,
  MEMORY,
  NOTIFICATION_EVENT,
  NO_ERROR,
  NO_WAIT,
  ONE_MS,
  SYNCHRONIZATION_EVENT,
  VpReadAccess,
  deviceDescription,
  pattern,
} from '../constants.js';
import type { Driver } from '../driver.js';
import type { Scenario } from '../scenario.js';

const WAIT_TIMEOUT = 258;

function wait(d: Driver, object: bigint, timeout: bigint | undefined, want: number): void {
  const r = d.call(
    'VideoPortWaitForSingleObject',
    timeout === undefined ? { object } : { object, timeout },
  );
  if (r.ret !== want) throw new Error(`wait returned ${JSON.stringify(r.ret)}, not ${want}`);
}

function state(d: Driver, pEvent: bigint, signaled: boolean): void {
  const r = d.call('VideoPortReadStateEvent', { pEvent });
  if ((r.ret !== 0) !== signaled) throw new Error('unexpected event state');
}

export const eventSignalling: Scenario = {
  name: 'events',
  description:
    'Events for DMA completion: VideoPortCreateEvent with all four flag combinations ' +
    '(synchronization and notification, initially clear and signaled). The driver reads ' +
    'their states, waits with zero and 1 ms timeouts (a synchronization event resets when a ' +
    'wait is satisfied, so the second wait times out; a notification event stays signaled, ' +
    'so even an untimed wait returns at once), sets an already signaled event, clears it. ' +
    'An upload DMA completes in the DPC, which sets the DMA-done event the dispatch ' +
    'routine waits on with a timeout. All events are deleted at the end.',
  captured: true,
  run(d) {
    const done = d.createEvent(SYNCHRONIZATION_EVENT);
    const vblank = d.createEvent(NOTIFICATION_EVENT);
    const ready = d.createEvent(NOTIFICATION_EVENT | INITIALLY_SIGNALED);
    const idle = d.createEvent(SYNCHRONIZATION_EVENT | INITIALLY_SIGNALED);
    state(d, ready, true);
    state(d, idle, true);
    state(d, done, false);
    // The engine-idle event is a synchronization event: one wait consumes it.
    wait(d, idle, NO_WAIT, NO_ERROR);
    wait(d, idle, ONE_MS, WAIT_TIMEOUT);
    state(d, idle, false);
    // The notification event stays signaled for every waiter until cleared.
    wait(d, ready, ONE_MS, NO_ERROR);
    wait(d, ready, undefined, NO_ERROR);
    state(d, ready, true);
    d.call('VideoPortClearEvent', { pEvent: ready });
    state(d, ready, false);
    wait(d, ready, NO_WAIT, WAIT_TIMEOUT);
    // The vertical-blank interrupt signals a notification event twice before anyone looks.
    if (d.call('VideoPortSetEvent', { pEvent: vblank }).ret !== 0) throw new Error('set');
    if (d.call('VideoPortSetEvent', { pEvent: vblank }).ret === 0) throw new Error('set again');
    wait(d, vblank, ONE_MS, NO_ERROR);
    d.call('VideoPortClearEvent', { pEvent: vblank });
    // An upload; the DPC completes it and signals the dispatch routine.
    const adapter = d.getDmaAdapter(deviceDescription());
    const fb = d.deviceBase(FB, FB_BYTES, MEMORY);
    const buf = new Mirror(d, d.pool(0x1000), 0x1000);
    buf.put(0, pattern(0x800, 100));
    const mdl = d.lock(buf.va, 0x1000, VpReadAccess);
    wait(d, done, NO_WAIT, WAIT_TIMEOUT); // not yet
    d.dmaCycle({ adapter, mdl, length: 0x1000, toDevice: true, device: FB + 0xb00000n });
    if (d.call('VideoPortSetEvent', { pEvent: done }).ret !== 0) throw new Error('set done');
    wait(d, done, ONE_MS, NO_ERROR);
    wait(d, done, NO_WAIT, WAIT_TIMEOUT);
    buf.check(0, 0x800, fb + 0xb00000n);
    d.unlock(mdl);
    d.freePool(buf.va);
    d.freeDeviceBase(fb);
    d.putDmaAdapter(adapter);
    for (const e of [idle, ready, vblank, done]) d.deleteEvent(e);
  },
};
