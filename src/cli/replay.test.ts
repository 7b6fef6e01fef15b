// `vpdma replay` end to end: the real CLI, the real pool (dist/ is built before the tests).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { signatureOf } from '../fuzz/findings.js';
import { MUTANTS } from '../replay/mutants.js';
import { formatJsonl } from '../trace/jsonl.js';
import { buildRevision } from './buildRevision.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-'));
const kitchen = join(dir, 'kitchen.jsonl');
writeFileSync(
  kitchen,
  formatJsonl({
    header: KITCHEN_HEADER,
    calls: kitchenSink(),
  }),
);

const run = runCli;

function reportWithoutTiming(path: string): unknown {
  const r = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete r['timing'];
  return r;
}

afterEach(() => {
  delete process.env['VPDMA_FIXTURE_MUTANT'];
  delete process.env['VPDMA_FIXTURE_DEATH'];
  delete process.env['VPDMA_FIXTURE_FACTORY'];
});

interface FaultReport {
  traces: { trace: string; outcome: string }[];
  violations: { kind: string; fn: string; callIndex: number; message: string }[];
  harnessError?: string;
}

/**
 * Replays events, the kitchen sink and pool-helpers (the fixtures fail on the kitchen sink
 * only) against a module fixture; the run and its JSON report.
 */
async function replayThree(
  fixture: string,
  report: string,
  options: string[],
): Promise<{ code: number; err: string; report: FaultReport }> {
  const json = join(dir, `${report}.json`);
  const files = ['corpus/events.jsonl', kitchen, 'corpus/pool-helpers.jsonl'];
  const r = await run([
    'replay',
    ...files,
    '--target',
    `module:test/fixtures/${fixture}`,
    ...options,
    '--quiet',
    '--json',
    json,
  ]);
  return {
    code: r.code,
    err: r.err,
    report: JSON.parse(readFileSync(json, 'utf8')) as FaultReport,
  };
}

describe('vpdma replay', () => {
  it('replays the corpus cleanly against every built-in model target', async () => {
    for (const target of ['model', 'model:docs', 'model:alternate']) {
      const json = join(dir, `corpus-${target}.json`);
      const r = await run(['replay', 'corpus', '--target', target, '--quiet', '--json', json]);
      expect(r.err).not.toContain('internal error');
      expect(r.out).toMatch(/0 with violations, 0 crashed/);
      expect(r.code, target).toBe(0);
      // The corpus has no misuse: the oracle is compared against for every call of every trace.
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        summary: { detached: number };
        buildRevision: string;
      };
      expect(report.summary.detached, target).toBe(0);
      // The build that replayed: recorded, and on the start line.
      expect(report.buildRevision).toBe(buildRevision());
      // A seed only when one was given (CI's VPDMA_SEED): replay draws nothing at random.
      expect(r.err).toMatch(
        new RegExp(`^vpdma replay: (seed=\\S+ )?target=.* build=${buildRevision()}\\n`),
      );
    }
  });

  // model:reactos's divergences, and --known reactos-divergences: replayKnown.test.ts.

  it('writes byte-identical reports (timing aside) for 1 and 2 workers', async () => {
    const a = join(dir, 'w1.json');
    const b = join(dir, 'w2.json');
    const ja = join(dir, 'w1.xml');
    const jb = join(dir, 'w2.xml');
    const common = [
      'replay',
      'corpus',
      kitchen,
      '--target',
      'model:reactos',
      '--profile',
      'docs',
      '--quiet',
    ];
    expect((await run([...common, '--workers', '1', '--json', a, '--junit', ja])).code).toBe(1);
    expect((await run([...common, '--workers', '2', '--json', b, '--junit', jb])).code).toBe(1);
    expect(reportWithoutTiming(a)).toEqual(reportWithoutTiming(b));
    expect(readFileSync(ja, 'utf8')).toBe(readFileSync(jb, 'utf8'));
    const report = JSON.parse(readFileSync(a, 'utf8')) as {
      violations: { kind: string; fn: string; callIndex: number; message: string; trace: string }[];
      seed: string;
    };
    expect(report.seed).toMatch(/^\d+$/);
    expect(report.violations.length).toBeGreaterThan(0);
    for (const v of report.violations)
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(['kind', 'fn', 'callIndex', 'message', 'trace']),
      );
  });

  it('records --paranoid, --sample-bytes and --timeout, which decide its verdicts', async () => {
    const plain = join(dir, 'settings-default.json');
    const given = join(dir, 'settings-given.json');
    const trace = ['replay', 'corpus/events.jsonl', '--quiet', '--json'];
    expect((await run([...trace, plain])).code).toBe(0);
    const options = ['--paranoid', '--sample-bytes', '1024', '--timeout', '2000'];
    expect((await run([...trace, given, ...options])).code).toBe(0);
    const read = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
    expect(read(plain)).toMatchObject({ paranoid: false, sampleBytes: 512, timeoutMs: 5000 });
    expect(read(given)).toMatchObject({ paranoid: true, sampleBytes: 1024, timeoutMs: 2000 });
  });

  it('writes a report named - to stdout, and the summary to stderr then', async () => {
    const common = ['replay', kitchen, '--target', 'model:reactos', '--profile', 'docs'];
    const file = join(dir, 'file.json');
    await run([...common, '--quiet', '--json', file]);
    const piped = await run([...common, '--quiet', '--json', '-']);
    expect(piped.code).toBe(1);
    expect(reportWithoutTiming(file)).toEqual(
      (({ timing: _, ...rest }) => rest)(JSON.parse(piped.out) as Record<string, unknown>),
    );
    expect(piped.err).toMatch(/^traces 1: 0 passed, 1 with violations/m);
    const junit = await run([...common, '--quiet', '--junit', '-']);
    expect(junit.out).toMatch(/^<\?xml [^]*<\/testsuites>\n$/);
    const both = await run([...common, '--json', '-', '--junit', '-']);
    expect(both.code).toBe(2);
    expect(both.err).toBe('vpdma: --json - and --junit -: only one report can go to stdout\n');
  });

  it.each(MUTANTS.map((m) => [m.name, m.kind] as const))(
    'finds the %s bug planted in a module target as %s',
    async (name, kind) => {
      process.env['VPDMA_FIXTURE_MUTANT'] = name;
      const json = join(dir, `mutant-${name}.json`);
      const r = await run([
        'replay',
        kitchen,
        '--target',
        'module:test/fixtures/mutant-target.mjs',
        '--workers',
        '1',
        '--timeout',
        '300',
        '--quiet',
        '--json',
        json,
      ]);
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        violations: { kind: string; trace: string }[];
      };
      expect(report.violations[0]?.kind).toBe(kind);
      expect(report.violations[0]?.trace).toBe(kitchen);
      expect(r.code).toBe(kind === 'target-crashed' || kind === 'target-timeout' ? 3 : 1);
    },
  );

  it('terminates a worker stuck in a target call, reports target-timeout, and finishes the rest', async () => {
    const { code, report } = await replayThree('spin-target.mjs', 'spin', [
      '--workers',
      '1',
      '--timeout',
      '300',
    ]);
    expect(code).toBe(3);
    expect(report.traces.map((t) => t.outcome)).toEqual(['pass', 'timeout', 'pass']);
    expect(report.violations).toEqual([
      expect.objectContaining({
        kind: 'target-timeout',
        fn: 'VideoPortMapDmaMemory',
        // The key --history and fuzz findings use (docs/report-json.md).
        signature: signatureOf('target-timeout', 'VideoPortMapDmaMemory'),
      }),
    ]);
    // Exit 3 by the target's doing: no harnessError (replayHarnessError.test.ts has one).
    expect(report.harnessError).toBeUndefined();
  });

  it.each([
    ['oom', /VideoPortMapDmaMemory killed its worker thread \(.*reaching memory limit/],
    ['exit', /VideoPortMapDmaMemory killed its worker thread \(worker exited with code: 7\)/],
    ['uncaught', /VideoPortMapDmaMemory killed its worker thread \(.*nobody catches\)/],
  ])(
    'a module target that kills its worker (%s): that trace crashed, the others replay',
    async (how, message) => {
      process.env['VPDMA_FIXTURE_DEATH'] = how;
      const { code, err, report } = await replayThree('dying-target.mjs', `death-${how}`, [
        '--workers',
        '1',
        '--worker-heap-mb',
        '96',
      ]);
      expect(code).toBe(3);
      expect(err).not.toMatch(/internal error/);
      expect(report.traces.map((t) => t.outcome)).toEqual(['pass', 'crash', 'pass']);
      expect(report.violations).toHaveLength(1);
      const v = report.violations[0];
      expect(v).toMatchObject({ kind: 'target-crashed', fn: 'VideoPortMapDmaMemory' });
      expect(v?.message).toMatch(message);
      // The call it died in: the kitchen sink's first MapDmaMemory.
      const first = kitchenSink().findIndex((c) => c.fn === 'VideoPortMapDmaMemory');
      expect(v?.callIndex).toBe(first);
    },
  );

  it('a module target that kills its worker while it is created: every trace says so (exit 3)', async () => {
    process.env['VPDMA_FIXTURE_DEATH'] = 'start';
    const r = await run([
      'replay',
      'corpus/events.jsonl',
      kitchen,
      '--target',
      'module:test/fixtures/dying-target.mjs',
      '--workers',
      '2',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(r.err).not.toMatch(/internal error/);
    const lines = r.out
      .split('\n')
      .filter((l) => l.includes('target-crashed: the worker thread died'));
    expect(lines).toHaveLength(2);
    for (const l of lines)
      expect(l).toMatch(
        /the worker thread died before the first call .*\(worker exited with code: 9\)/,
      );
  });

  it.each([
    [
      'throw',
      'crash',
      'target-crashed',
      /could not start: the factory threw Error: failing-factory/,
    ],
    [
      'reject',
      'crash',
      'target-crashed',
      /could not start: the factory threw failing-factory: refused/,
    ],
    ['non-target', 'crash', 'target-crashed', /could not start: the factory returned no target/],
    [
      'no-read',
      'crash',
      'target-crashed',
      /could not start: the factory returned a target without a read function/,
    ],
    ['hang', 'timeout', 'target-timeout', /could not start: the factory: no answer within 300 ms/],
    [
      'spin',
      'timeout',
      'target-timeout',
      /could not start: the factory did not return within 300 ms; its worker was terminated/,
    ],
  ])(
    'a module target whose factory fails (%s): that trace says so, the others replay (exit 3)',
    async (how, outcome, kind, message) => {
      process.env['VPDMA_FIXTURE_FACTORY'] = how;
      // Short only where the deadline is what is tested: on a loaded machine, 300 ms has been
      // too little for the passing traces' own factories once.
      const timeout = how === 'hang' || how === 'spin' ? '300' : '3000';
      const { code, err, report } = await replayThree('failing-factory.mjs', `factory-${how}`, [
        '--timeout',
        timeout,
      ]);
      expect(code).toBe(3);
      expect(err).not.toMatch(/internal error/);
      expect(report.traces.map((t) => t.outcome)).toEqual(['pass', outcome, 'pass']);
      expect(report.violations).toHaveLength(1);
      expect(report.violations[0]?.kind).toBe(kind);
      expect(report.violations[0]?.message).toMatch(message);
    },
  );

  it('reports one bug once: no follow-on reports of what an obsolete call changed', async () => {
    // Each call's change once (not once by the sample and again by touched()), and nothing
    // after it found by comparing with the oracle, which that call put apart from the target.
    const cases = [
      ['mapdma-corrupts-common-buffer', 'corpus/legacy-mapdma-during-transfers.jsonl'],
      ['unmapdma-tears-down-view', 'corpus/legacy-mapdma-flags.jsonl'],
      ['unmapdma-tears-down-view', 'corpus/legacy-mapdma-request-packets.jsonl'],
    ] as const;
    for (const [mutant, trace] of cases) {
      const json = join(dir, `once-${mutant}.json`);
      const r = await run([
        'replay',
        trace,
        '--target',
        `mutant:${mutant}`,
        '--quiet',
        '--json',
        json,
      ]);
      expect(r.code).toBe(1);
      const { violations } = JSON.parse(readFileSync(json, 'utf8')) as {
        violations: { kind: string; callIndex: number; field?: string }[];
      };
      expect(violations.length).toBeGreaterThan(0);
      expect(
        violations.filter((v) => v.kind === 'memory-mismatch'),
        mutant,
      ).toEqual([]);
      const places = violations.map((v) => `${v.callIndex} ${v.kind} ${v.field ?? ''}`);
      expect(new Set(places).size, mutant).toBe(places.length);
    }
  });

  it('reports a process target that cannot start as a crash (exit 3)', async () => {
    const r = await run(['replay', kitchen, '--target', 'process:false', '--quiet']);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/target-crashed: .*could not start/);
    // A program that is not there is a typo in the SPEC: one line, exit 2, as a missing module.
    const typo = await run([
      ...['replay', kitchen, '--target', 'process:/nonexistent/vpdma-target', '--quiet'],
    ]);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      'vpdma: --target: process:/nonexistent/vpdma-target: /nonexistent/vpdma-target does not exist (looked for /nonexistent/vpdma-target)\n',
    );
    // For many traces: one line says so, not one per trace (the report lists each).
    const json = join(dir, 'never-started.json');
    const many = await run([
      ...['replay', 'corpus', '--target', 'process:false', '--quiet'],
      ...['--json', json],
    ]);
    expect(many.code).toBe(3);
    expect(many.out.match(/could not start/g)).toHaveLength(1);
    // Started for the first eight traces only (startWatch.test.ts has the rest's line).
    expect(many.out).toMatch(/^every trace tried \(8\): target-crashed: the target could not /m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { violations: []; traces: [] };
    expect([report.violations.length, report.traces.length]).toEqual([8, 23]);
  });
});
