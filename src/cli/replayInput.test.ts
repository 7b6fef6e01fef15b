// `vpdma replay` on bad input, end to end: a wrong trace is refused naming the place, a
// damaged capture replays up to the damage, and the other traces are still reported.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_DEVICE, KITCHEN_HEADER } from '../../test/support/kitchenSink.js';
import { formatJsonl } from '../trace/jsonl.js';
import { Recorder } from '../model/recorder.js';
import { runCli } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-input-'));
const kitchen = join(dir, 'kitchen.jsonl');
writeFileSync(kitchen, formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() }));

const run = runCli;

// Module targets that misbehave while loading: in this process they would hang it or end it.
const topLoop = join(dir, 'top-loop.mjs');
writeFileSync(topLoop, 'for (;;);\nexport default async () => ({});\n');
const topExit = join(dir, 'top-exit.mjs');
writeFileSync(topExit, 'process.exit(5);\nexport default async () => ({});\n');
const topThrow = join(dir, 'top-throw.mjs');
writeFileSync(topThrow, 'throw new Error("boom at load");\nexport default async () => ({});\n');
// CommonJS requiring the package: fine in vpdma's own thread (Node >= 20.19), not in workers.
const cjsRequire = join(dir, 'requires-vpdma.cjs');
const dist = join(import.meta.dirname, '../../dist/index.js');
writeFileSync(
  cjsRequire,
  `const v = require(${JSON.stringify(dist)});\nmodule.exports = v.createModelTarget;\n`,
);
const defaultObject = join(dir, 'default-object.mjs');
writeFileSync(
  defaultObject,
  'export default { call() { return {}; }, read: () => new Uint8Array(0) };\n',
);
const topExit0 = join(dir, 'top-exit-0.mjs');
writeFileSync(topExit0, 'process.exit(0);\nexport default async () => ({});\n');

describe('vpdma replay on bad input', () => {
  it('reports a bad trace with one line and exit 2, and still reports the others', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      '{"format":"vpdma-trace","version":1,"device":{},"meta":{}}\n{"fn":"VideoPortGetDmaAdapter","args":{"hwDeviceExtension":"0x1"}}\n',
    );
    const json = join(dir, 'bad.json');
    const r = await run(['replay', bad, kitchen, '--quiet', '--json', json]);
    expect(r.code).toBe(2);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      traces: { trace: string; outcome: string; error?: string }[];
    };
    expect(report.traces.map((t) => t.outcome)).toEqual(['invalid', 'pass']);
    expect(report.traces[0]?.error).toMatch(/bad\.jsonl:2: .*vpDeviceDescription/);
  });

  it('lists the first 20 unreadable traces and counts the rest', async () => {
    const many = join(dir, 'many-bad');
    mkdirSync(many);
    for (let i = 0; i < 22; i++)
      writeFileSync(join(many, `bad-${String(i).padStart(2, '0')}.txt`), 'not a trace\n');
    const r = await run(['replay', many, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/22 unreadable/);
    // Named on standard error, as exit code 2 promises, one line each.
    expect(r.out).not.toMatch(/bad-\d\d\.txt:1/);
    expect(r.err.match(/^vpdma replay: .*bad-\d\d\.txt:1: .*$/gm)).toHaveLength(20);
    expect(r.err).toContain('vpdma replay: ... and 2 more unreadable or damaged (see --json)\n');
  });

  it('replays a capture cut off mid-line up to the cut: its violations, the damage, exit 2', async () => {
    // The kitchen sink against a planted bug, cut 12 characters into its last line.
    const text = formatJsonl({ header: KITCHEN_HEADER, calls: kitchenSink() }).trimEnd();
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, text.slice(0, text.lastIndexOf('\n') + 13));
    const json = join(dir, 'cut.json');
    const junit = join(dir, 'cut.xml');
    const target = 'mutant:mapdma-corrupts-common-buffer';
    const r = await run([
      'replay',
      cut,
      '--target',
      target,
      '--quiet',
      '--json',
      json,
      '--junit',
      junit,
    ]);
    expect(r.code).toBe(2);
    const lines = text.split('\n').length;
    expect(r.out).toMatch(/1 damaged \(replayed up to the damage\)/);
    expect(r.err).toContain(`${cut}:${lines}: truncated: the last line stops before its newline`);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: { damaged: number };
      traces: { outcome: string; calls: number; damage?: string }[];
      violations: { kind: string }[];
    };
    expect(report.summary.damaged).toBe(1);
    expect(report.traces[0]).toMatchObject({ outcome: 'fail', calls: lines - 2 });
    expect(report.traces[0]?.damage).toMatch(/cut\.jsonl/);
    expect(report.violations.map((v) => v.kind)).toContain('memory-corrupted');
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<error message="[^"]*cut\.jsonl:\d+: truncated: [^"]*: damaged; only the calls before it were replayed" type="damaged"/,
    );
  });

  it('a damaged capture whose target crashed before the damage reports both', async () => {
    // A double free (which this mutant crashes on) at call 2, then a line cut short.
    const header = '{"format":"vpdma-trace","version":1,"device":{},"meta":{}}';
    const dev = '"hwDeviceExtension":"0xffffe00000001000"';
    const alloc = `{"fn":"VideoPortAllocatePool","args":{${dev},"poolType":0,"numberOfBytes":64,"tag":1},"ret":"0xffffe00020000000"}`;
    const free = `{"fn":"VideoPortFreePool","args":{${dev},"ptr":"0xffffe00020000000"}}`;
    const cut = join(dir, 'crash-then-cut.jsonl');
    writeFileSync(cut, [header, alloc, free, free, alloc, '{"fn":"VideoPortAll'].join('\n'));
    const junit = join(dir, 'crash-then-cut.xml');
    const target = 'mutant:crash-on-double-free-pool';
    const r = await run(['replay', cut, '--target', target, '--quiet', '--junit', junit]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${cut}:6: truncated: `);
    expect(r.err).toContain(': damaged; only the calls before it were replayed');
    expect(r.out).toMatch(/crash-then-cut\.jsonl:4 \(call 2\): target-crashed/);
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<error message="target-crashed at line 4 \(call 2\) \(VideoPortFreePool\): [^"]*double free \(and [^"]*crash-then-cut\.jsonl:6: truncated: [^"]*: damaged; only the calls before it were replayed\)" type="target-crashed"/,
    );
  });

  it('rejects a captured trace that uses a handle no call returned', async () => {
    const broken = join(dir, 'broken.jsonl');
    const calls = kitchenSink().filter((c) => c.fn !== 'VideoPortGetDmaAdapter');
    writeFileSync(
      broken,
      formatJsonl({
        header: { format: 'vpdma-trace', version: 1, device: KITCHEN_DEVICE, meta: {} },
        calls,
      }),
    );
    const r = await run(['replay', broken]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /broken\.jsonl:\d+: .*args\.(vpDmaAdapter|mdl): .*which no earlier call returned/,
    );
  });

  it('keeps the violations found before a bad line: counted, listed, said with the error; exit 2', async () => {
    // bytes-used-remembered fails call 1; the bad line is call 40 (line 42) of 60.
    const rec = new Recorder({}, true);
    rec.call('VideoPortSetBytesUsed', { pDma: 0n, bytesUsed: 0x1000 });
    for (let i = 0; i < 59; i++) rec.call('VideoPortGetBytesUsed', { pDma: 0n });
    const lines = formatJsonl({ header: KITCHEN_HEADER, calls: rec.calls }).trimEnd().split('\n');
    lines[41] = '{"fn":"VideoPortGetBytesUsed","args":{"pDma":"not-a-pointer"}}';
    const bad = join(dir, 'late-bad.jsonl');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const json = join(dir, 'late-bad.json');
    const r = await run([
      'replay',
      bad,
      '--target',
      'mutant:bytes-used-remembered',
      '--json',
      json,
    ]);
    expect(r.code).toBe(2);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: { calls: number; violations: number; invalid: number };
      traces: { outcome: string; calls: number; violations: number; error?: string }[];
      violations: { kind: string; callIndex: number; line?: number }[];
    };
    expect(report.traces[0]).toMatchObject({ outcome: 'invalid', calls: 40 });
    expect(report.traces[0]?.error).toMatch(/late-bad\.jsonl:42: args\.pDma/);
    const found = report.traces[0]?.violations ?? 0;
    expect(found).toBeGreaterThan(0);
    expect(report.summary).toMatchObject({ calls: 40, violations: found, invalid: 1 });
    expect(report.violations[0]).toMatchObject({
      kind: 'inert-return-mismatch',
      callIndex: 1,
      line: 3,
    });
    expect(r.err).toMatch(
      new RegExp(
        `late-bad\\.jsonl:42: args\\.pDma: .*; 40 calls replayed before it, ${found} violations? found there`,
      ),
    );
  });

  it.each([
    [
      ['--target', 'module:test/fixtures/missing.mjs'],
      /vpdma: --target: target module .* does not exist/,
    ],
    [['--target', 'module:test/fixtures/no-factory.mjs'], /no default export creating a target/],
    [['--target', 'mutant:nope'], /unknown mutant "nope"/],
    [['--target', 'bogus'], /unknown target "bogus"/],
    [['--workers', '0'], /--workers: expected a whole number/],
    [['--worker-heap-mb', '8'], /--worker-heap-mb: expected a whole number from 16 to 1048576/],
    [
      ['--load-timeout', '0'],
      /^vpdma: --load-timeout: expected a whole number from 1 to 3600000, got "0"\n$/,
    ],
    [
      ['--json', join(kitchen, 'r.json')],
      /--json .*kitchen\.jsonl\/r\.json: not writable \(.* is not a directory\)/,
    ],
    [['--json', dir], /^vpdma: --json .*: is a directory; give the file to write\n$/],
    [['--junit', ''], /^vpdma: --junit: an empty file name\n$/],
    [
      ['--target', `module:${defaultObject}`],
      /^vpdma: --target: target module .*default-object\.mjs has a default export that is an object, not a function creating a target/,
    ],
  ])('usage error %j: one line, exit 2', async (extra, message) => {
    const r = await run(['replay', kitchen, ...extra]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out, 'refused before replaying').toBe('');
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it.each([
    [
      ['--target', `module:${topLoop}`, '--timeout', '300', '--load-timeout', '1500'],
      /^vpdma: --target: target module .*top-loop\.mjs did not finish loading within 1500 ms \(a loop or a long await at its top level\? or a machine too loaded: --load-timeout MS gives it longer\)\n$/,
    ],
    [
      ['--target', `module:${topExit}`],
      /^vpdma: --target: target module .*top-exit\.mjs exited while loading \(process\.exit\(5\)\)/,
    ],
    [
      ['--target', `module:${topExit0}`],
      /^vpdma: --target: target module .*top-exit-0\.mjs exited while loading \(process\.exit\(0\)\)/,
    ],
    [
      ['--target', `module:${topThrow}`],
      /^vpdma: --target: target module .*top-throw\.mjs failed to load: boom at load\n$/,
    ],
    [
      ['--target', `module:${cjsRequire}`],
      /^vpdma: --target: target module .*requires-vpdma\.cjs failed to load: require\(\) of ES Module .*a CommonJS target loads vpdma with await import\('vpdma'\)\)\n$/,
    ],
  ])(
    'a module that crashes while loading %j: one line, exit 3, before any work',
    async (extra, message) => {
      const r = await run(['replay', kitchen, ...extra]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.out).toBe('');
    },
  );

  it('prints a target’s error message with its control characters escaped, not raw', async () => {
    const hostile = join(dir, 'hostile-target.mjs');
    writeFileSync(
      hostile,
      'export default async () => ({ call() { throw new Error("\\u001b[2J\\u001b[31mgotcha\\u0000"); }, read: () => new Uint8Array(0) });\n',
    );
    const r = await run(['replay', kitchen, '--target', `module:${hostile}`, '--quiet']);
    expect(r.code).toBe(3);
    expect(r.out).toContain('\\u001b[2J\\u001b[31mgotcha\\u0000');
    expect(r.out + r.err).not.toMatch(/[\u0000\u001b]/);
  });

  it('refuses a --json or --junit that would replace one of the traces', async () => {
    const copy = join(dir, 'precious.jsonl');
    writeFileSync(copy, readFileSync(kitchen));
    for (const flag of ['--json', '--junit']) {
      const r = await run(['replay', dir, flag, copy, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `vpdma: ${flag} ${copy}: is one of the traces to replay; give another file\n`,
      );
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(kitchen, 'utf8'));
    }
    // Through a link: the atomic write would replace the link's target, the trace itself.
    const link = join(mkdtempSync(join(tmpdir(), 'vpdma-link-')), 'report.json');
    symlinkSync(copy, link);
    for (const flag of ['--json', '--junit']) {
      const r = await run(['replay', dir, flag, link, '--quiet']);
      expect([r.code, r.err]).toEqual([
        2,
        `vpdma: ${flag} ${link}: is one of the traces to replay; give another file\n`,
      ]);
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(kitchen, 'utf8'));
    }
  });

  it('refuses a report named like a trace in a directory it replays, not one named otherwise', async () => {
    const captures = mkdtempSync(join(tmpdir(), 'vpdma-named-'));
    writeFileSync(join(captures, 'a.jsonl'), readFileSync(kitchen));
    const named = join(captures, 'report.jsonl');
    const r = await run(['replay', captures, '--json', named, '--quiet']);
    expect([r.code, r.err]).toEqual([
      2,
      `vpdma: --json ${named}: is named like a trace in ${captures}, which is replayed: the next run would read the report as a trace; give another name\n`,
    ]);
    expect(existsSync(named)).toBe(false);
    const json = join(captures, 'report.json');
    expect((await run(['replay', captures, '--json', json, '--quiet'])).code).toBe(0);
    expect(existsSync(json)).toBe(true);
  });

  it('skips an empty directory beside traces with a warning, and still writes the reports', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vpdma-empty-'));
    const empty = join(root, 'tonight');
    mkdirSync(empty);
    const json = join(root, 'r.json');
    const r = await run(['replay', kitchen, empty, '--json', json, '--quiet']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(
      `vpdma replay: ${empty}: no trace files (.jsonl, .vpt, .txt, or those .gz) in this directory; skipped\n`,
    );
    const rep = JSON.parse(readFileSync(json, 'utf8')) as { summary: { traces: number } };
    expect(rep.summary.traces).toBe(1);
    const alone = await run(['replay', empty, '--quiet']);
    expect([alone.code, alone.err]).toEqual([
      2,
      `vpdma: ${empty}: no trace files (.jsonl, .vpt, .txt, or those .gz) in this directory\n`,
    ]);
  });

  it('names the report file it cannot write (a full disk)', async () => {
    const r = await run(['replay', kitchen, '--json', '/dev/full', '--quiet']);
    expect([r.code, r.err.split('\n').at(-2)]).toEqual([
      2,
      'vpdma: cannot write the report: /dev/full: ENOSPC: no space left on device, write',
    ]);
  });

  it('refuses --json and --junit naming the same file (one report would be lost)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'vpdma-same-')), 'report.out');
    const r = await run(['replay', kitchen, '--json', out, '--junit', out, '--quiet']);
    expect([r.code, r.err]).toEqual([
      2,
      `vpdma: --junit ${out}: is also --json's file; one report per file\n`,
    ]);
  });
});
