// What every vpdma report (replay, fuzz, nightly) says about the run it describes, right after
// its schema and command: enough to run it again the same way.

export interface RunIdentity {
  /** The seed as given (decimal or a git SHA). */
  readonly seed: string;
  readonly vpdmaVersion: string;
  /** The call-description table's hash (model/calls.ts). */
  readonly modelRevision: string;
  /** The target as --target spells it. */
  readonly target: string;
  /** The oracle profile ("per trace header" for a replay that left it to each trace). */
  readonly profile: string;
}
