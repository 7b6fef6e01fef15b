// What the A/B benchmarks (replayAb.ts, fuzzAb.ts) print around their rounds: the load, calls
// per CPU second in thousands, and each build's best and median with their ratio.
import { loadavg } from 'node:os';

export const load3 = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

export const k = (x: number): string => `${(x / 1000).toFixed(0)} K`;

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Best and median calls/s of CPU of the base build and the new one, and new / base. */
export function printRatio(
  o: { readonly dir: string; readonly rounds: readonly number[] },
  n: { readonly dir: string; readonly rounds: readonly number[] },
): void {
  for (const b of [o, n])
    console.log(
      `${b.dir}: best ${k(Math.max(...b.rounds))}, median ${k(median(b.rounds))} calls/s of CPU`,
    );
  console.log(
    `ratio new/base: best ${(Math.max(...n.rounds) / Math.max(...o.rounds)).toFixed(2)}, median ${(median(n.rounds) / median(o.rounds)).toFixed(2)}; load average ${load3()}`,
  );
}
