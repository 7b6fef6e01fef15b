// A module target is imported once per worker thread, so state at its module's top level (a
// call counter, a cache) is shared by every case that thread runs: a case then fails or passes
// by what ran before it in the same thread, and the findings' re-runs (each in a fresh target)
// disagree. A user probe's counter gave a timeout reproduced 1/3 in one mode and 3/3 in the
// other, and nothing said why: this warning does, once per run.
import { plural } from '../core/plural.js';

interface Rerun {
  readonly signature: string;
  /** "k/n": the re-runs that failed again, of those made. */
  readonly reproduced: string;
}

/** Re-runs shown at most in the warning. */
const shownMax = 3;

/**
 * One warning line when a `module:` target run with more than one worker thread has findings
 * that re-ran inconsistently (reproduced k/n, k < n) or failing cases that never failed again
 * (`unconfirmed`): a run's result; undefined otherwise.
 */
export function moduleStateWarning(
  target: string,
  workers: number,
  run: { readonly findings: readonly Rerun[]; readonly unconfirmed: readonly unknown[] },
): string | undefined {
  if (!target.startsWith('module:') || workers < 2) return undefined;
  const { findings } = run;
  const unconfirmed = run.unconfirmed.length;
  const flaky = findings.filter((f) => {
    const [k, n] = f.reproduced.split('/').map(Number);
    return k !== undefined && n !== undefined && k < n;
  });
  if (flaky.length === 0 && unconfirmed === 0) return undefined;
  const parts: string[] = [];
  if (flaky.length > 0) {
    const shown = flaky.slice(0, shownMax).map((f) => `${f.signature} ${f.reproduced}`);
    if (flaky.length > shownMax) shown.push('...');
    parts.push(`${plural(flaky.length, 'finding')} reproduced only in part (${shown.join(', ')})`);
  }
  if (unconfirmed > 0) parts.push(`${plural(unconfirmed, 'failing case')} never failed again`);
  return `warning: ${parts.join(' and ')} with ${workers} workers: a module target's top-level state (a counter, a cache) is shared by the cases of one worker thread, so what fails depends on --workers; keep state in the target its factory makes (docs/targets.md, "Arguments and state of a module target")`;
}
