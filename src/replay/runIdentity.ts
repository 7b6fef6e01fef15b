// What every vpdma report (replay, fuzz, nightly) says about the run it describes, right after
// its schema and command: enough to run it again the same way.

export interface RunIdentity {
  /** The seed as given (decimal or a git SHA). */
  readonly seed: string;
  readonly vpdmaVersion: string;
  /** The call-description table's hash (model/calls.ts). */
  readonly modelRevision: string;
  /**
   * Which build made the report: a hash of the built code and of the fast-check and pure-rand
   * versions loaded (src/cli/buildRevision.ts). Every report has it but older ones.
   */
  readonly buildRevision?: string;
  /** The target as --target spells it. */
  readonly target: string;
  /** The oracle profile: --profile's, or PROFILE_PER_TRACE when the run left it to each trace. */
  readonly profile: string;
}

/**
 * A report's profile when no --profile was given: every trace replays under its header's
 * profile, and every fuzz case under its base trace's (docs for a header without one). A
 * reproduce command then gives no --profile either: the repro's header carries its own.
 */
export const PROFILE_PER_TRACE = 'per trace header';
