// Ctrl-C and SIGTERM: stop starting work, let the command write what finished, then exit.
// A second signal exits at once, unless it follows the first within REPEAT_MS: a double
// tap of Ctrl-C, or a supervisor's SIGTERM right after the terminal's SIGINT, is one request
// to stop, and quitting on it would lose the report the first one is writing.
import { EXIT } from './exitCodes.js';

/** Signals this close after the first are the same request. */
export const REPEAT_MS = 1000;

let began = false;

/**
 * Whether a command has begun its work (made an Interrupt): bin/vpdma.js, hearing a signal
 * no command handles, says whether it came before the work or after it.
 */
export const workBegan = (): boolean => began;

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal's name once one arrived. */
  readonly received: () => string | undefined;
  dispose(): void;
}

export function onInterrupt(
  warn: (text: string) => void,
  finishing = 'finishing up and writing reports for what has completed',
): Interrupt {
  began = true;
  const ac = new AbortController();
  let got: string | undefined;
  let at = 0;
  const handler = (name: NodeJS.Signals): void => {
    if (got !== undefined) {
      if (performance.now() - at < REPEAT_MS) return;
      process.exit(EXIT.interrupted);
    }
    got = name;
    at = performance.now();
    warn(`\nvpdma: ${name}: ${finishing} (again, a second later, to quit at once without them)\n`);
    ac.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    received: () => got,
    dispose: () => {
      // Once a stop was asked for, the command is writing its reports on its way out: a repeat
      // must still be the same request (or quit at once), not the default action that kills it.
      if (got !== undefined) return;
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
