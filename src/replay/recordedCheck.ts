// A captured trace's own values (its `ret` and `out`) against the oracle's: does the capture
// agree with the documentation, whatever the target does?
import type { Stepped } from '../model/step.js';
import type { TraceCall } from '../model/values.js';
import { recordedViolations, type CheckContext } from './conformance.js';
import type { Violation } from './violation.js';

export class RecordedCheck {
  private diverged = false;
  private readsTrusted = true;

  /**
   * The oracle took over bytes from the target: its memory is no longer what the captured
   * system's was, so a capture's `@read` data is not judged by it from here on.
   */
  oracleAdopted(): void {
    this.readsTrusted = false;
  }

  /**
   * Up to (not at) the first misuse, whose answer the documentation leaves undefined and the
   * oracle merely chooses, and up to the first disagreement.
   */
  check(call: TraceCall, stepped: Stepped, context: () => CheckContext): Violation[] {
    if (this.diverged) return [];
    if (stepped.misuse !== undefined) {
      this.diverged = true;
      return [];
    }
    if (call.ret === undefined && call.out === undefined) return [];
    if (call.fn === '@read' && !this.readsTrusted) return [];
    const found = recordedViolations(context(), call, stepped);
    if (found.length > 0) this.diverged = true;
    return found;
  }
}
