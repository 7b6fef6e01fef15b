// The command line of one test night as the real-night tests run it: 1 worker, --fail-on
// new, quiet, a fixed seed and case count; --history when the test keeps one. One worker: a
// night's findings are the same for any worker count (campaign.test.ts, replay.test.ts), and a
// second worker per pool cost each night about 0.6 s of CPU, measured.
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
    '1',
    '--out',
    o.out,
    ...(o.history === undefined ? [] : ['--history', o.history]),
    '--fail-on',
    'new',
    '--quiet',
    ...more,
  ];
}
