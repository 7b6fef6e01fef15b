// Shards: shard K of N runs the cases i with i mod N = K - 1, so N machines split a campaign
// and merge.ts puts their results back together exactly.

export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
}

export function shardIndex(shard: Shard, j: number): number {
  return shard.index + j * shard.count;
}

/** How many of a shard's cases fall below `runs`. */
export function shardCases(shard: Shard, runs: number): number {
  return Math.max(0, Math.ceil((runs - shard.index) / shard.count));
}

/** "K/N" (1 <= K <= N) as a 0-based shard; an error message otherwise. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const k = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(k) || !Number.isSafeInteger(n) || k < 1 || k > n)
    return `--shard: expected K/N with 1 <= K <= N (e.g. 2/4), got "${text}"`;
  return { index: k - 1, count: n };
}
