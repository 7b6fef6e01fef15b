// Number, duration and size formatting for the HTML report. Locale-free (no Intl), so the same
// report renders to the same bytes on every machine.

/** 1234567 → "1,234,567". */
export function formatInt(n: number): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

/** Up to `digits` decimals, trailing zeros dropped: 2.50 → "2.5", 3.00 → "3". */
export function formatDecimal(n: number, digits = 2): string {
  const s = n.toFixed(digits);
  const t = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return t === '-0' ? '0' : t;
}

/** 950 → "950", 1250 → "1.3k", 3400000 → "3.4M": for axis ticks and rates. */
export function formatCompact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${formatDecimal(n / 1e9, 1)}G`;
  if (a >= 1e6) return `${formatDecimal(n / 1e6, 1)}M`;
  if (a >= 1e3) return `${formatDecimal(n / 1e3, 1)}k`;
  return formatDecimal(n, a >= 100 ? 0 : 2);
}

/** 950 → "950 ms", 66240 → "1 min 6.2 s", 7_384_000 → "2 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${formatDecimal(s, 1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${formatDecimal(s - min * 60, 1)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** 412000000 → "393 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${formatDecimal(n / 1024, 1)} KiB`;
  if (n < 1024 ** 3) return `${formatDecimal(n / 1024 ** 2, 0)} MiB`;
  return `${formatDecimal(n / 1024 ** 3, 2)} GiB`;
}
