// A timer for a budget the user gave (--budget-replay, the corpus's --minimize-time). Node fires
// a setTimeout whose delay is over 2^31-1 ms (24.8 days) after 1 ms instead, with a
// TimeoutOverflowWarning: `--budget-replay 600h` would then stop the replay before it started.
// A longer budget is waited out in steps of at most that, so it runs out when it says.

/** The longest delay setTimeout keeps as given. */
export const TIMER_DELAY_MS_MAX = 2 ** 31 - 1;

/** Calls `fire` once, `ms` from now; the function returned cancels it. */
export function budgetTimer(
  ms: number,
  fire: () => void,
  stepMsMax = TIMER_DELAY_MS_MAX,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (left: number): void => {
    const step = Math.min(left, stepMsMax);
    timer = setTimeout(() => (left > step ? arm(left - step) : fire()), step);
  };
  arm(ms);
  return () => clearTimeout(timer);
}
