// "The corpus scaled": a bundled scenario's driver program run again and again inside one
// model, so every handle stays valid (a captured trace of a driver running for a long time).
import { Recorder } from '../../src/model/recorder.js';
import type { TraceCall } from '../../src/model/values.js';
import { Driver } from '../corpus/driver.js';
import type { Scenario } from '../corpus/scenario.js';

/** Repeats the scenario in one model; stops at the first run that does not complete. */
export function scaled(s: Scenario, callsWanted: number): TraceCall[] {
  const rec = new Recorder({ ...(s.device === undefined ? {} : { device: s.device }) }, s.captured);
  const d = new Driver(rec);
  let kept = 0;
  while (rec.calls.length < callsWanted) {
    try {
      s.run(d);
      kept = rec.calls.length;
    } catch {
      break; // a scenario that cannot run again in the same model (limits, leaks) stops here
    }
  }
  return rec.calls.slice(0, kept);
}
