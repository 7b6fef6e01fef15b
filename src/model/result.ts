// What one model step returns: the return value, the out-parameters it wrote, the branch it
// took (coverage), and whether the call was misuse the documentation forbids.
import type { Args, Value } from './values.js';

export interface StepResult {
  readonly ret?: Value;
  /** Only the out-parameters written; step() fills the rest with their entry values. */
  readonly wrote?: Args;
  /** Which documented path the call took: feeds coverage and violation messages. */
  readonly branch: string;
  /** Set when the call breaks a documented rule; the outcome is defined, never an exception. */
  readonly misuse?: string;
  /**
   * Out-parameters whose value this path leaves to the implementation (the documentation
   * promises nothing of them on a failure): whatever a target writes there, or not, is right.
   */
  readonly unspecified?: readonly string[];
}

export const ok = (branch: string, ret?: Value, wrote?: Args): StepResult =>
  ret === undefined
    ? wrote === undefined
      ? { branch }
      : { branch, wrote }
    : wrote === undefined
      ? { branch, ret }
      : { branch, ret, wrote };

/**
 * The same result, with out-parameters whose value it leaves to the implementation; frozen,
 * since the handlers keep these as constants (failures are common in fuzzed and hostile traces).
 */
export const leaving = (r: StepResult, ...unspecified: string[]): StepResult =>
  Object.freeze({ ...r, unspecified: Object.freeze(unspecified) });

export const misuse = (rule: string, ret?: Value, wrote?: Args): StepResult => ({
  ...ok(rule, ret, wrote),
  misuse: rule,
});

/**
 * The result of a common path that carries nothing of its own (a write, a free): one frozen
 * object for every call, since step() hands a result without out-parameters on as is.
 */
export const OK = Object.freeze(ok('ok'));
