// Test support: a .txt trace whose first call comes after more than one 1 MiB read chunk of
// comments, so its reader yields nothing (not even the header) until the second chunk: where
// only the read's own abort check can stop it.
import { writeFileSync } from 'node:fs';

export function writeCommentedTrace(path: string): void {
  const comments = `#${' pad'.repeat(250)}\n`.repeat(1_200); // 1.2 MB
  const call = 'VideoPortGetBytesUsed(hwDeviceExtension=0x0, pDma=0x0) -> 0x5';
  writeFileSync(path, `#! vpdma-trace v1 profile=docs\n${comments}${call}\n`);
}
