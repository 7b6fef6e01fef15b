// Which test files share a worker's module cache (vitest.config.ts's "shared" project, run with
// `isolate: false`) and which get a fresh one each (the "isolated" project). Sharing saves each
// file its imports, the modules it loads being those the file before it loaded (BENCHMARKS.md,
// "Tests"). A file shares only if it lives under SHARED_DIRS, is not in OWN_PROCESS, and its
// text uses nothing that would outlive it in the next file of the same worker: module mocks,
// spies, fake timers, stubbed globals or environment, process.env, the working directory,
// process listeners or exitCode, globalThis, fast-check's global settings. So a file that needs
// its own process lands in the isolated project by itself; one that leaks some other way (state
// a module keeps, changed through its API) goes in OWN_PROCESS, saying why.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Directories of unit tests: their files share unless they leak or start something. src/cli's
 * files that drive a whole command (STARTS) stay isolated; those testing one function share.
 */
export const SHARED_DIRS = [
  'src/cli',
  'src/core',
  'src/fuzz',
  'src/minimize',
  'src/model',
  'src/replay',
  'src/report',
  'src/store',
  'src/trace',
] as const;

/** Files under SHARED_DIRS that leak in a way LEAKS cannot see, each with its reason. */
export const OWN_PROCESS: Readonly<Record<string, string>> = {
  'src/replay/errorAnswer.test.ts':
    'its process: targets start child processes from the test thread (runReplayTask), one still ' +
    'running after the file ended, in a shared worker riding along into the next file',
};

/** What a test file's text uses that outlives it in the worker it ran in. */
const LEAKS = [
  /\bvi\s*\.\s*(mock|doMock|unmock|doUnmock|hoisted|importActual|importMock|resetModules)\b/,
  /\bvi\s*\.\s*(spyOn|stubEnv|stubGlobal|useFakeTimers|setSystemTime)\b/,
  /\bprocess\s*\.\s*(env|chdir|exitCode|on|once|off|addListener|prependListener|umask)\b/,
  /\bprocess\s*\.\s*(removeListener|removeAllListeners|setUncaughtExceptionCaptureCallback)\b/,
  /\bglobalThis\b/,
  /\bconfigureGlobal\b/,
];

/**
 * Starting worker threads or child processes: such a file runs isolated, so a pool or child it
 * leaves behind (idle for up to a minute) ends with its own fork rather than riding along in a
 * shared one. These files spend their time in the threads, not in imports, so they gain little.
 * Running a CLI command counts too, in-process (runCli, main(...)) or as a child (childCli,
 * interruptCli), and so do runReplays*, minimizeCorpusFailures (its replay pool) and
 * fuzzInMemory (fuzzInMemory.ts, runFuzz wired as the command wires it): a command starts
 * replay or fuzz pools, and listens for SIGINT/SIGTERM (interrupt.ts, stdinTrace.ts) until it
 * ends.
 */
const STARTS =
  /\b(runFuzz|fuzzIo|fuzzInMemory|createFuzzPool|PiscinaExecutor|TaskPool|WarmingPool|Piscina|createProcessTarget|spawn|spawnSync|execFile|execFileSync|fork|Worker|runCli|childCli|interruptCli|runReplays\w*|minimizeInput|minimizeCorpusFailures|main(?=\s*\())\b/;

/** What `text` (a test file's) calls that starts a thread or a process, or undefined. */
export function startsIn(text: string): string | undefined {
  return STARTS.exec(text)?.[0];
}

/** The first thing `text` (a test file's) does that would outlive it, or undefined. */
export function leakIn(text: string): string | undefined {
  for (const re of LEAKS) {
    const m = re.exec(text);
    if (m !== null) return m[0];
  }
  return undefined;
}

function* testFiles(root: string, dir: string): Generator<string> {
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) yield* testFiles(root, rel);
    else if (e.name.endsWith('.test.ts')) yield rel;
  }
}

/** The test files under `root` (paths relative to it, with /) that share a module cache. */
export function sharedTestFiles(root: string): string[] {
  const shared: string[] = [];
  for (const dir of SHARED_DIRS)
    for (const file of testFiles(root, dir)) {
      if (file in OWN_PROCESS) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      if (leakIn(text) === undefined && startsIn(text) === undefined) shared.push(file);
    }
  return shared.sort();
}
