// What a trace file's name says: its format (.jsonl, .vpt, .txt), and whether it is
// gzip-compressed (the same names ending in .gz).

export type TraceFormat = 'jsonl' | 'vpt' | 'txt';

const TRACE_NAME = /\.(jsonl|vpt|txt)(\.gz)?$/i;

/** The trace format a name says (FILE.jsonl.gz is a JSONL trace), if any. */
export function formatOf(path: string): TraceFormat | undefined {
  const m = TRACE_NAME.exec(path);
  return m === null ? undefined : (m[1]?.toLowerCase() as TraceFormat);
}

/** A gzip-compressed trace, by its name. */
export const isGzipPath = (path: string): boolean => /\.gz$/i.test(path);

/** The name without its trace extension (`repro` for repro.jsonl and repro.vpt.gz). */
export const traceStem = (path: string): string => path.replace(TRACE_NAME, '');

export const UNKNOWN_FORMAT =
  'unknown trace format: the name must end in .jsonl, .vpt or .txt (or those with .gz, compressed)';

/**
 * Whether a trace file's name without its extension is a finding's original: `original`, or
 * a killed shard's as `vpdma merge` copies it, `original-shard-K-of-N` (cli/mergeLost.ts).
 */
export function isOriginalStem(stem: string): boolean {
  return stem === 'original' || /^original-shard-\d+-of-\d+$/.test(stem);
}

/**
 * Whether a stem is a killed shard's minimized repro as `vpdma merge` copies it beside its
 * original when the shard had written its finding: `repro-shard-K-of-N` (cli/mergeLost.ts).
 */
export const isShardReproStem = (stem: string): boolean => /^repro-shard-\d+-of-\d+$/.test(stem);
