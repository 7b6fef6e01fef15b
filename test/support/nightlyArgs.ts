// The command line of one test night as the real-night tests run it: 2 workers, --fail-on
// new, quiet, a fixed seed and case count; --history when the test keeps one.
export interface NightlyArgs {
  readonly target: string;
  readonly seed: string;
  readonly runs: number;
  readonly out: string;
  readonly history?: string;
}

export function nightlyArgs(o: NightlyArgs, more: readonly string[] = []): string[] {
  return [
    'nightly',
    '--target',
    o.target,
    '--seed',
    o.seed,
    '--runs',
    String(o.runs),
    '--workers',
    '2',
    '--out',
    o.out,
    ...(o.history === undefined ? [] : ['--history', o.history]),
    '--fail-on',
    'new',
    '--quiet',
    ...more,
  ];
}
