// A fuzz finding's replay commands (report.json's `command`; finding.json's `commandHere` and
// `commandAbsolute`, which the summary and HTML show too) carry the run's --worker-heap-mb:
// a module target that leaks is a target-crashed only under that limit, so a command without
// it does not reproduce the finding (probe 2 of session 30, finding 3).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FuzzFinding } from '../fuzz/findings.js';
import type { FuzzSettings } from '../fuzz/protocol.js';
import { emptyHeader } from '../trace/trace.js';
import { findingDir, findingWriter } from './findingFiles.js';

const finding: FuzzFinding = {
  signature: 'target-crashed/VideoPortMapDmaMemory/abc',
  kind: 'target-crashed',
  fn: 'VideoPortMapDmaMemory',
  callIndex: 3,
  message: 'm',
  violationsAtCall: [],
  reproCalls: 0,
  originalCalls: 0,
  caseIndex: 0,
  cases: [0],
  reproduced: '1/1',
  confirmed: true,
  minimized: false,
  exhausted: false,
  attempts: 0,
  repro: { header: emptyHeader(), calls: [] },
};

const settings: FuzzSettings = {
  target: 'module:leak.mjs',
  timeoutMs: 1000,
  sampleBytes: 512,
  callsMax: 48,
  seed: 1,
  seedText: '1',
};

/** The finding written under a new directory with `s`: its three commands. */
async function commands(s: FuzzSettings): Promise<string[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'vpdma-finding-command-'));
  const out = join(cwd, 'out');
  const entry = await findingWriter(out, s, cwd)(finding);
  const json = JSON.parse(
    readFileSync(join(findingDir(out, finding.signature), 'finding.json'), 'utf8'),
  ) as Record<string, unknown>;
  return [entry.command, json['command'], json['commandHere'], json['commandAbsolute']].map(String);
}

describe("a finding's replay commands and --worker-heap-mb", () => {
  it('carry the limit when the run had one, and say nothing of it otherwise', async () => {
    const limited = await commands({ ...settings, workerHeapMb: 64 });
    expect(limited).toHaveLength(4);
    for (const c of limited) expect(c).toMatch(/^vpdma replay .* --worker-heap-mb 64$/);
    for (const c of await commands(settings)) {
      expect(c).toMatch(/^vpdma replay /);
      expect(c).not.toContain('--worker-heap-mb');
    }
  });
});
