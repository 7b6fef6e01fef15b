// hello, the first request to a process target for each trace (docs/target-protocol.md):
// what vpdma offers, and the features the child's answer takes up.
import type { DeviceConfig } from '../model/device.js';
import { TargetFault } from './callTarget.js';
import { helloTimeoutMs } from './startTimeout.js';
import { wireValue } from './wire.js';

const PROTOCOL_VERSION = 1;
/**
 * Extensions of version 1 vpdma asks for in hello; a child takes up those it knows by listing
 * them in its features. touched-in-call: every call answer carries the touched ranges, which
 * saves a round trip per call. seq: every request after hello carries a number the answer
 * repeats, so that an answer to another request is no longer taken for this one's.
 */
const ACCEPTS = ['touched-in-call', 'seq'];

/** A process child as hello needs it. */
interface Asker {
  request(msg: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>>;
}

interface HelloOptions {
  readonly device: DeviceConfig;
  readonly profile: string;
  readonly timeoutMs: number;
  /** --load-timeout, when given: a fresh child's hello may take this long (startTimeout.ts). */
  readonly startTimeoutMs?: number;
}

/** Sends hello; the features its answer lists, or a TargetFault. */
export async function greet(
  child: Asker,
  options: HelloOptions,
  fresh: boolean,
): Promise<unknown[]> {
  // A fresh child's hello also waits for the program to start (a runtime loading its code),
  // which a per-call --timeout of a few hundred ms is not meant for: as a module's load.
  const hello = await child.request(
    {
      op: 'hello',
      version: PROTOCOL_VERSION,
      profile: options.profile,
      device: options.device,
      accepts: ACCEPTS,
    },
    fresh ? helloTimeoutMs(options.timeoutMs, options.startTimeoutMs) : options.timeoutMs,
  );
  // A reply, not an echo of the request (a child such as `cat` would pass every other check).
  const v = hello['version'];
  if ('op' in hello || v !== PROTOCOL_VERSION) {
    const version = v === undefined ? 'no version' : `${wireValue(v)} as its version`;
    throw new TargetFault(
      `sent garbage: hello answered ${'op' in hello ? 'with the request itself' : version}; expected {version: ${PROTOCOL_VERSION}, name, features}`,
    );
  }
  const listed = hello['features'] ?? [];
  if (!Array.isArray(listed))
    throw new TargetFault('sent garbage: hello answered features that are not a list');
  return listed as unknown[];
}
