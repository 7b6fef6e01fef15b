// The clean C target is a correct target, so anything vpdma finds against it is harness noise.
// Probe D found some: its scatter/gather list for a 10,240-byte user buffer has one element
// (40 bytes) where the oracle's has three (88), as the documentation allows, and a fuzzed
// LockBuffer over bytes of the oracle's list that the target's list does not have was judged
// a return-mismatch. The repros (test/fixtures/list-latitude) replay clean, and a fuzz run
// from them, which found that false positive at these seeds within a few dozen cases before
// the fix, finds nothing.
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import { resolveDevice } from '../../src/model/device.js';
import { isStruct } from '../../src/model/values.js';
import { createProcessTarget, type ProcessChild } from '../../src/replay/processTarget.js';
import { replayTrace } from '../../src/replay/replayTrace.js';
import { parseText } from '../../src/trace/textParse.js';
import { BINARY, DIR } from './testKit.js';

const FIXTURES = path.join(DIR, '../../test/fixtures/list-latitude');
const repros = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));
const children: ProcessChild[] = [];

afterAll(() => {
  for (const c of children) c.kill();
});

describe('a scatter/gather list the clean C target sizes differently from the oracle', () => {
  it('has the repros', () => {
    expect(repros.sort()).toEqual(['lockbuffer-interior.txt', 'lockbuffer-whole-list.txt']);
  });

  it.each(repros)('%s replays clean, the oracle detaching at the LockBuffer', async (file) => {
    const parsed = parseText(readFileSync(path.join(FIXTURES, file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.message);
    const { header, calls } = parsed.value;
    const device = resolveDevice(header.device);
    const target = await createProcessTarget({
      command: `'${BINARY}'`,
      device,
      profile: 'docs',
      timeoutMs: 5000,
    });
    children.push(target.child);
    const sizes: number[] = [];
    const r = await replayTrace(header, calls, target, {
      onStep: (fn, stepped, _model, answer) => {
        const lengths = [answer, stepped].map((a) => a.out?.['pVrp']);
        if (fn === 'VideoPortLockPages')
          for (const v of lengths) sizes.push(isStruct(v) ? Number(v['outputBufferLength']) : -1);
      },
    });
    // Still the case it was: the target's list is shorter than the oracle's.
    expect(sizes).toEqual([40, 88]);
    expect(r.violations.map((v) => `${v.kind}: ${v.message}`)).toEqual([]);
    expect(r.outcome).toBe('pass');
    expect([r.detachedAt, r.detachedBy]).toEqual([1, 'latitude']);
  });

  it('fuzzing from them finds nothing (two seeds that found the false positive before)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vpdma-list-latitude-'));
    for (const seed of ['7', '12']) {
      const out = path.join(root, `seed-${seed}`);
      cpSync(FIXTURES, path.join(out, 'corpus'), { recursive: true });
      const run = await runCli([
        ...['fuzz', '--target', `process:${BINARY}`, '--seed', seed, '--runs', '120'],
        ...['--workers', '1', '--out', out, '--quiet'],
      ]);
      expect({ seed, code: run.code, out: run.out }).toEqual({ seed, code: 0, out: run.out });
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as {
        findings: unknown[];
        cases: number;
      };
      expect({ seed, findings: report.findings }).toEqual({ seed, findings: [] });
      expect(report.cases).toBe(120);
    }
  });
});
