// A size on disk as the corpus commands print it, in powers of 1024 as --bytes-max reads them.

/** 950 → "950 B", 7_636_151 → "7.3 MiB": a corpus's size on disk. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [n, unit] =
    bytes < 1024 ** 2
      ? [bytes / 1024, 'KiB']
      : bytes < 1024 ** 3
        ? [bytes / 1024 ** 2, 'MiB']
        : [bytes / 1024 ** 3, 'GiB'];
  return `${n.toFixed(1)} ${unit}`;
}
