// Upgrading over a real version 1 history (test/support/historyFixtures.ts V1_DIR, written by
// vpdma 3afc7cd), its OUT/findings restored as a CI cache would: the bug it holds, still
// there, is open, not new, although its inertness signature then hashed the calls.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHistory } from '../report/historyFormat.js';
import { V1_DIR, V1_INERT, V1_OTHER, v1HistoryText } from '../../test/support/historyFixtures.js';
import { nightlyArgs } from '../../test/support/nightlyArgs.js';
import { runCli, type CliRun } from '../../test/support/runCli.js';
import { upgradeNote } from './nightlyHistory.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-history-v1-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bucket {
  signature: string;
  firstSeen: string;
  timesSeen: number;
  signatureScheme?: number;
  fixedSince?: string;
}

describe('a night of today’s vpdma over a version 1 history of vpdma 3afc7cd', () => {
  const out = join(dir, 'out');
  const history = join(dir, 'history.json');
  let run: CliRun;
  beforeAll(async () => {
    cpSync(join(V1_DIR, 'history.json'), history);
    cpSync(join(V1_DIR, 'findings'), join(out, 'findings'), { recursive: true });
    run = await runCli(
      nightlyArgs({ target: V1_INERT.target, seed: '78', runs: 100, out, history }),
    );
  }, 120_000);

  it('calls the inertness bug it holds open, with its old first sighting, and exits 0 under --fail-on new', () => {
    expect(run.err).toContain(`--history ${history}: version 1, written back as version 2`);
    expect(run.err).toContain('its 2 buckets whose signature changed keep it (signatureScheme 1)');
    expect(run.out).toContain(`[open] ${V1_INERT.kind} in ${V1_INERT.fn}`);
    expect(run.out).not.toContain('[new]');
    expect(run.out).not.toContain('[changed]');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      findings: { signature: string; status: string; firstSeen: string }[];
    };
    expect(report.findings.map((f) => [f.signature, f.status, f.firstSeen])).toEqual([
      [V1_INERT.now, 'open', '2026-12-06T18:42:26.702Z'],
    ]);
  });

  it('writes version 2: the old buckets kept as scheme 1, the bug continued in its bucket of today', () => {
    const h = JSON.parse(readFileSync(history, 'utf8')) as { version: number; buckets: Bucket[] };
    expect(h.version).toBe(2);
    expect(
      h.buckets.map((b) => [b.signature, b.firstSeen, b.timesSeen, b.signatureScheme]),
    ).toEqual([
      // Its repro in OUT/findings failed as it did: seen again.
      [V1_INERT.signature, '2026-12-06T18:42:26.702Z', 2, 1],
      [V1_INERT.now, '2026-12-06T18:42:26.702Z', 2, undefined],
      // Another target's: left as it was, but for its mark.
      [V1_OTHER.signature, '2026-12-06T18:42:52.320Z', 1, 1],
    ]);
    expect(h.buckets.some((b) => b.fixedSince !== undefined)).toBe(false);
  });
});

describe('the upgrade note', () => {
  /** The note for the fixture's history holding only its inertness bucket, `signature` set. */
  const noteFor = (signature: string): string => {
    const v1 = JSON.parse(v1HistoryText()) as { buckets: { signature: string }[] };
    const buckets = v1.buckets.slice(0, 1).map((b) => ({ ...b, signature }));
    const h = parseHistory(JSON.stringify({ ...v1, buckets }));
    if (!h.ok) throw new Error(h.error);
    return upgradeNote('nightly', { path: 'h.json', history: h.value, text: '', note: '' });
  };

  it('counts an inertness bucket that hashed the calls among those kept as scheme 1, one of today’s form not', () => {
    expect(noteFor(V1_INERT.signature)).toContain(
      'its 1 bucket whose signature changed keeps it (signatureScheme 1)',
    );
    const today = noteFor(V1_INERT.now);
    expect(today).toContain('version 1, written back as version 2');
    expect(today).not.toContain('signatureScheme');
  });
});
