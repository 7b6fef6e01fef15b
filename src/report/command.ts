// Small helpers shared by the nightly renderers: the short form of a finding's signature and
// the shell command that replays a corpus trace the way the run did.
import { shellWord } from '../core/shellWord.js';
import type { NightlyReport } from './nightlySchema.js';

const SHORT_LENGTH = 12;

/**
 * The short form of a signature, for test names and headings: the part after the last ':' or
 * '/' (the hash of "kind/Function/hash", src/fuzz/findings.ts, or of "sha256:…"), cut to 12 characters.
 */
export function shortSignature(signature: string): string {
  const cut = Math.max(signature.lastIndexOf(':'), signature.lastIndexOf('/'));
  const tail = signature.slice(cut + 1);
  return (tail === '' ? signature : tail).slice(0, SHORT_LENGTH);
}

/** `vpdma replay TRACE --target T [--profile P]`, quoted for a POSIX shell. */
export function corpusReplayCommand(
  report: Pick<NightlyReport, 'target' | 'profile'>,
  trace: string,
): string {
  const words = ['vpdma', 'replay', trace, '--target', report.target];
  if (report.profile === 'docs' || report.profile === 'reactos')
    words.push('--profile', report.profile);
  return words.map(shellWord).join(' ');
}
