// Ctrl-C and SIGTERM: stop starting work, let the command write what finished, then exit.
// A second signal exits at once.

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal's name once one arrived. */
  readonly received: () => string | undefined;
  dispose(): void;
}

export function onInterrupt(warn: (text: string) => void): Interrupt {
  const ac = new AbortController();
  let got: string | undefined;
  const handler = (name: NodeJS.Signals): void => {
    if (got !== undefined) process.exit(130);
    got = name;
    warn(
      `\nvpdma: ${name}: finishing up and writing reports for what has completed (again to quit now)\n`,
    );
    ac.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: ac.signal,
    received: () => got,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
