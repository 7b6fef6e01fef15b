// Module targets whose answers are hostile JavaScript values (test/fixtures/hostile-target.mjs,
// hostile for the kitchen-sink trace only; dist/ is built before the tests): the harness ends
// that trace as target-crashed or target-timeout with one line saying what the target did,
// replays the others, and writes its report; a fuzz campaign goes on to its last case.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { campaignOn } from '../../test/support/campaignOn.js';
import { buildBase } from '../fuzz/base.js';
import { createFuzzPool } from '../fuzz/executor.js';
import { bundledCorpusDir, readCorpusDir } from '../store/corpus.js';
import { formatJsonl } from '../trace/jsonl.js';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-hostile-'));
const kitchen = join(dir, 'kitchen.jsonl');
writeFileSync(kitchen, formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() }));
const FIXTURE = 'module:test/fixtures/hostile-target.mjs';

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_HOSTILE'];
  delete process.env['VPDMA_FIXTURE_HOSTILE_ALWAYS'];
});

interface Report {
  traces: { trace: string; outcome: string }[];
  violations: { kind: string; fn: string; callIndex: number; message: string }[];
}

async function replayThree(how: string, timeoutMs: number) {
  process.env['VPDMA_FIXTURE_HOSTILE'] = how;
  const json = join(dir, `${how}.json`);
  const files = ['corpus/events.jsonl', kitchen, 'corpus/pool-helpers.jsonl'];
  const r = await runCli([
    'replay',
    ...files,
    '--target',
    FIXTURE,
    '--timeout',
    String(timeoutMs),
    '--quiet',
    '--json',
    json,
  ]);
  return { ...r, report: JSON.parse(readFileSync(json, 'utf8')) as Report };
}

describe('a module target answering hostile values', () => {
  it.each([
    [
      'getter',
      'target-crashed',
      /^\S+: the target answered a value that could not be read: Error: hostile-target: getter$/,
    ],
    [
      'proxy',
      'target-crashed',
      /^\S+: the target answered a value that could not be read: Error: hostile-target: outcome \w+$/,
    ],
    [
      'thrown',
      'target-crashed',
      /^\S+: the target threw a value of type object that could not be turned into text$/,
    ],
    [
      'state-proxy',
      'target-crashed',
      /^\S+: state\(\) answered a value that could not be read: Error: hostile-target: state \w+$/,
    ],
    [
      'state-cycle',
      'target-crashed',
      /^\S+: state\(\) answered an object that contains itself \(at \.self\)$/,
    ],
    [
      'state-deep',
      'target-crashed',
      /^\S+: state\(\) answered data nested deeper than 64 levels \(at \.deep(\[0\])+\)$/,
    ],
    [
      'target-proxy',
      'target-crashed',
      /could not start: the factory's target could not be read: Error: hostile-target: target get$/,
    ],
    ['state-hang', 'target-timeout', /^\S+: state\(\): no answer within 400 ms$/],
    [
      'read-hang',
      'target-timeout',
      /^read\(\) of \d+ bytes at 0x[0-9a-f]+: no answer within 400 ms$/,
    ],
  ])(
    '%s: that trace is %s with one line, the others pass, the report is written (exit 3)',
    async (how, kind, message) => {
      const r = await replayThree(how, how.endsWith('-hang') ? 400 : 3000);
      expect(r.err).not.toMatch(/internal error/);
      expect(r.code).toBe(3);
      expect(r.report.traces.map((t) => t.outcome)).toEqual([
        'pass',
        kind === 'target-timeout' ? 'timeout' : 'crash',
        'pass',
      ]);
      expect(r.report.violations).toHaveLength(1);
      const v = r.report.violations[0];
      expect(v?.kind).toBe(kind);
      expect(v?.message).toMatch(message);
      expect(v?.message).not.toContain('\n');
    },
  );

  it('a thenable that is not a Promise is awaited, as `await` would: the traces pass (exit 0)', async () => {
    const r = await replayThree('thenable', 3000);
    expect(r.err).not.toMatch(/internal error|target-crashed/);
    expect(r.report.traces.map((t) => t.outcome)).toEqual(['pass', 'pass', 'pass']);
    expect(r.report.violations).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('a fuzz campaign against a getter that throws: every case a target-crashed finding, to the last case', async () => {
    process.env['VPDMA_FIXTURE_HOSTILE'] = 'getter';
    process.env['VPDMA_FIXTURE_HOSTILE_ALWAYS'] = '1';
    const named = await readCorpusDir(bundledCorpusDir(), () => undefined, 'corpus/');
    const settings = {
      target: FIXTURE,
      timeoutMs: 3000,
      sampleBytes: 512,
      callsMax: 48,
      seed: 5,
      seedText: '5',
    };
    const r = await campaignOn(createFuzzPool(2), buildBase(named, 48), settings, { runs: 6 });
    expect(r.cases).toBe(6);
    // (A generated case may make no call at all.)
    expect(r.failingCount).toBeGreaterThanOrEqual(5);
    for (const f of r.failing) {
      expect(f.outcome).toBe('crash');
      expect(f.violations[0]?.message).toMatch(
        /the target answered a value that could not be read/,
      );
    }
  });
});

describe('module targets that cannot be loaded: what the message says', () => {
  it('a directory is a usage error (exit 2, one line)', async () => {
    const d = join(dir, 'a-directory');
    mkdirSync(d);
    const r = await runCli(['replay', kitchen, '--target', `module:${d}`, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/is a directory; name the module file in it/);
  });

  it('a top-level await that never settles: it never finished loading, not an exit (exit 3)', async () => {
    const m = join(dir, 'tla.mjs');
    writeFileSync(m, 'await new Promise(() => {});\nexport default async () => null;\n');
    const r = await runCli(['replay', kitchen, '--target', `module:${m}`, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /never finished loading: its top-level await waits on a promise nothing settles/,
    );
    expect(r.err).not.toMatch(/exited/);
  });
});
