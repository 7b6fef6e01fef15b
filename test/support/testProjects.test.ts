// The split between the shared project (isolate: false) and the isolated one: a file that
// would leave state behind for the next file in its worker is never shared.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leakIn, OWN_PROCESS, SHARED_DIRS, sharedTestFiles, startsIn } from './testProjects.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('leakIn', () => {
  it('names what would outlive a test file in its worker', () => {
    const leaky: [string, string][] = [
      ["vi.mock('../trace/json.js', () => ({}));", 'vi.mock'],
      ['await vi.doMock("x")', 'vi.doMock'],
      ["vi.spyOn(console, 'log')", 'vi.spyOn'],
      ['vi.useFakeTimers();', 'vi.useFakeTimers'],
      ["vi.stubEnv('TZ', 'UTC')", 'vi.stubEnv'],
      ["process.env['VPDMA_SEED'] = '1';", 'process.env'],
      ['process.chdir(dir);', 'process.chdir'],
      ["process.on('warning', f);", 'process.on'],
      ['process.exitCode = 0;', 'process.exitCode'],
      ['globalThis.fetch = f;', 'globalThis'],
      ['fc.configureGlobal({ numRuns: 5 });', 'configureGlobal'],
    ];
    for (const [text, what] of leaky) expect(leakIn(text), text).toBe(what);
  });

  it('passes what stays in the file: vi.fn, timers it clears, process.execPath', () => {
    const clean = [
      'const f = vi.fn(); setTimeout(f, 10);',
      "spawn(process.execPath, ['bin/vpdma.js']);",
      "process.platform === 'linux'; process.pid;",
      "it('keeps its environment', () => {});",
    ];
    for (const text of clean) expect(leakIn(text), text).toBeUndefined();
  });
});

describe('startsIn', () => {
  it('names a call that starts a worker thread or a child process', () => {
    expect(startsIn("spawn(process.execPath, ['bin/vpdma.js']);")).toBe('spawn');
    expect(startsIn('const r = await runFuzz(settings, io);')).toBe('runFuzz');
    expect(startsIn("const r = await fuzzInMemory('mutant:x', 300, o);")).toBe('fuzzInMemory');
    expect(startsIn('const pool = createFuzzPool(2);')).toBe('createFuzzPool');
    expect(startsIn('const t = await createProcessTarget(o);')).toBe('createProcessTarget');
    expect(startsIn('expect(step(s, call)).toEqual(r);')).toBeUndefined();
  });

  it('names a CLI command run in-process or as a child, and a replay run', () => {
    expect(startsIn("const r = await runCli(['replay', p]);")).toBe('runCli');
    expect(startsIn("import { runCli as run } from '../../test/support/runCli.js';")).toBe(
      'runCli',
    );
    expect(startsIn('const code = await main(argv, io);')).toBe('main');
    expect(startsIn("await childCli(['replay', '-']);")).toBe('childCli');
    expect(startsIn('await interruptCli(argv, 500);')).toBe('interruptCli');
    expect(startsIn('await runReplays(items, settings);')).toBe('runReplays');
    expect(startsIn('await runReplaysOrFault(items, s);')).toBe('runReplaysOrFault');
    expect(startsIn('await minimizeCorpusFailures(o);')).toBe('minimizeCorpusFailures');
    // The word alone is prose: "in the main thread", a `main` branch.
    expect(startsIn("'in the main thread (no worker started)'")).toBeUndefined();
    expect(startsIn('const domain = x; remain(1);')).toBeUndefined();
  });
});

describe('sharedTestFiles', () => {
  const shared = sharedTestFiles(root);

  it('shares only clean files under SHARED_DIRS, none listed in OWN_PROCESS', () => {
    expect(shared.length).toBeGreaterThan(100);
    for (const file of shared) {
      expect(
        SHARED_DIRS.some((d) => file.startsWith(`${d}/`)),
        file,
      ).toBe(true);
      expect(file in OWN_PROCESS, file).toBe(false);
      const text = readFileSync(path.join(root, file), 'utf8');
      expect(leakIn(text), file).toBeUndefined();
      expect(startsIn(text), file).toBeUndefined();
    }
  });

  it('leaves out the files that mock modules or set the environment', () => {
    // traceKey.test.ts mocks ../trace/json.js; hostileTarget.test.ts sets VPDMA_FIXTURE_*.
    expect(shared).not.toContain('src/minimize/traceKey.test.ts');
    expect(shared).not.toContain('src/replay/hostileTarget.test.ts');
    expect(shared).toContain('src/model/handlers/packetDma.test.ts');
    // canaries.test.ts and staleHandle.test.ts run campaigns in worker pools (fuzzInMemory).
    expect(shared).not.toContain('src/fuzz/canaries.test.ts');
    expect(shared).not.toContain('src/fuzz/staleHandle.test.ts');
    // errorAnswer.test.ts starts process targets in the test's thread (OWN_PROCESS).
    expect(shared).not.toContain('src/replay/errorAnswer.test.ts');
  });

  it('lists in OWN_PROCESS only test files that exist under SHARED_DIRS, each with a reason', () => {
    for (const [file, why] of Object.entries(OWN_PROCESS)) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
      expect(
        SHARED_DIRS.some((d) => file.startsWith(`${d}/`)),
        file,
      ).toBe(true);
      expect(why.length, file).toBeGreaterThan(20);
    }
  });

  it("shares src/cli's files that test one function, not those that drive a command", () => {
    expect(shared).toContain('src/cli/options.test.ts');
    expect(shared).toContain('src/cli/nightlySummary.test.ts'); // says "the main thread"
    expect(shared).toContain('src/cli/fuzzDefaults.test.ts'); // builds the program, runs nothing
    // main.test.ts calls main(); gzipInput.test.ts runs childCli; replayProgress.test.ts runs
    // runReplays (a replay pool); progress.test.ts fakes timers.
    for (const file of ['main', 'gzipInput', 'replayProgress', 'progress'])
      expect(shared).not.toContain(`src/cli/${file}.test.ts`);
    expect(shared.filter((f) => f.startsWith('src/cli/')).length).toBeGreaterThan(15);
  });
});
