// One exit code per failure class (DESIGN.md "Command line").
export const EXIT = {
  /** No violation. */
  ok: 0,
  /** Violations found. */
  violations: 1,
  /** Bad input or usage: one line on stderr, no stack trace. */
  badInput: 2,
  /**
   * The harness itself crashed, a target could not start, or (replay) a target crashed or hung;
   * to fuzz, nightly and minimize a target crashing on a call is a violation (README "Exit codes").
   */
  crash: 3,
  /** Ctrl-C or SIGTERM: what finished is reported (128 + SIGINT, as shells do). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
