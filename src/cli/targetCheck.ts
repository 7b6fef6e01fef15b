// Failing early on a target that cannot be set up at all, before any work starts: a missing
// module, one without a factory or an unknown mutant is a usage error (exit 2); a module that
// throws, exits or hangs while loading is a target that crashed (exit 3). `fuzz` and
// `nightly` instead report a module that cannot be loaded, whatever the reason, as a target
// that cannot be set up: in their reports, with the same exit code; `replay` refuses it in
// one line but writes its --json and --junit first (targetSetupFailure). A process: command
// whose program is not there is a usage error too (processCommand.ts).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { oneLine } from '../core/oneLine.js';
import { refusedWorkerFlags, workerExecArgv } from '../replay/pool.js';
import { createSession, IS_A_DIRECTORY } from '../replay/sessions.js';
import type { TargetSpec } from '../replay/targetSpec.js';
import { UserError } from './context.js';
import { EXIT } from './exitCodes.js';
import { processCommandFailure } from './processCommand.js';

const DOES_NOT_EXIST = 'does not exist';
const NO_FACTORY = 'has no default export creating a target (see README.md, Writing a target)';
const NOT_A_FACTORY = 'has a default export that is';
/** Node's words when require() meets an ES module (workers run without require(esm)). */
const REQUIRED_ESM = /require\(\) of ES Module/;

/** Starts `code` in a worker with the flags the pool's workers get (the same module loading). */
function checkWorker(code: string): Worker {
  let argv = workerExecArgv();
  for (;;) {
    try {
      return new Worker(code, { eval: true, execArgv: argv });
    } catch (e) {
      const refused = refusedWorkerFlags(e);
      if (refused === undefined || refused.size === 0) throw e;
      argv = argv.filter((f) => !refused.has(f));
    }
  }
}

/** `loadTimeoutMs`: --load-timeout's (options.ts loadTimeoutOption), for a module target. */
export async function checkTarget(
  spec: TargetSpec,
  timeoutMs: number,
  loadTimeoutMs: number,
  /** Stops a module's load (it then passes): the caller, stopped, looks at it next. */
  signal?: AbortSignal,
): Promise<void> {
  if (spec.kind === 'process') {
    // Started per worker, a failure shown per trace or case; but a program that is not there
    // is a typo in the SPEC, refused as a missing module is.
    const bad = processCommandFailure(spec.command);
    if (bad !== undefined) throw new UserError(`--target: ${bad}`, EXIT.badInput);
    return;
  }
  if (spec.kind === 'module') {
    const bad = await moduleLoadFailure(spec.path, loadTimeoutMs, signal);
    if (bad === undefined) return;
    throw new UserError(`--target: ${bad.message}`, bad.usage ? EXIT.badInput : EXIT.crash);
  }
  const s = await createSession(spec, timeoutMs);
  if (!s.ok) throw new UserError(`--target: ${s.error}`);
  await s.value.close();
}

/**
 * For `fuzz` and `nightly`, whose reports a CI job reads: a `module:` target that cannot be
 * loaded at all (missing, no factory, or crashing, exiting or hanging while loading) is a
 * target that cannot be set up, why (the run then writes its reports, `stoppedBy: "setup"`,
 * exit 3, as for a process that cannot start); undefined when it loads. Any other SPEC is
 * checked as checkTarget does (an unknown mutant is still a usage error, thrown).
 */
export async function targetSetupFailure(
  spec: TargetSpec,
  timeoutMs: number,
  loadTimeoutMs: number,
): Promise<LoadFailure | undefined> {
  if (spec.kind === 'process') {
    const bad = processCommandFailure(spec.command);
    return bad === undefined ? undefined : { message: bad, usage: true };
  }
  if (spec.kind !== 'module') {
    await checkTarget(spec, timeoutMs, loadTimeoutMs);
    return undefined;
  }
  return moduleLoadFailure(spec.path, loadTimeoutMs);
}

/** Why a module cannot be loaded; `usage` when the SPEC is wrong (no file, no factory): exit 2. */
export interface LoadFailure {
  readonly message: string;
  readonly usage: boolean;
}

/** Why a module target cannot be loaded, and whether that is a usage error; undefined if it can. */
async function moduleLoadFailure(
  path: string,
  loadTimeoutMs: number,
  signal?: AbortSignal,
): Promise<LoadFailure | undefined> {
  const bad = await loadsInAThread(path, loadTimeoutMs, signal);
  if (bad === undefined) return undefined;
  const usage =
    bad === DOES_NOT_EXIST ||
    bad === NO_FACTORY ||
    bad === IS_A_DIRECTORY ||
    bad.startsWith(NOT_A_FACTORY);
  return { message: `target module ${path} ${bad}`, usage };
}

/**
 * Loads a module target in a thread of its own, never in this one: a module that loops at its
 * top level, or calls process.exit there or later from a timer, would otherwise hang or end
 * vpdma before any report. Workers load it for real; there, process.exit ends one thread.
 * Undefined when it loads and has a factory, else why not.
 */
function loadsInAThread(
  path: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const full = resolve(path);
  if (!existsSync(full)) return Promise.resolve(DOES_NOT_EXIST);
  if (statSync(full).isDirectory()) return Promise.resolve(IS_A_DIRECTORY);
  const url = JSON.stringify(pathToFileURL(full).href);
  // Success is a message, not an exit code: a module may itself call process.exit(0). The
  // thread's event loop running dry before the import settled (beforeExit, which
  // process.exit does not raise) is a top-level await that can never finish.
  const w = checkWorker(
    `const { parentPort } = require('node:worker_threads');
     process.on('beforeExit', () => parentPort.postMessage('never-settles'));
     import(${url}).then(
       (m) => parentPort.postMessage(typeof m.default === 'function' ? 'ok' : m.default === undefined ? 'no-factory' : 'not-a-factory:' + (m.default === null ? 'null' : Array.isArray(m.default) ? 'an array' : typeof m.default === 'object' ? 'an object' : 'a ' + typeof m.default)),
       (e) => parentPort.postMessage('failed to load: ' + (e instanceof Error ? e.message : String(e))),
     ).then(() => process.exit(0));`,
  );
  return new Promise((done) => {
    let answer: string | undefined;
    const finish = (why: string | undefined): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stopped);
      void w.terminate();
      done(why);
    };
    // Stopped (Ctrl-C): no verdict, and no wait for a slow load to end.
    const stopped = (): void => finish(undefined);
    const timer = setTimeout(
      () =>
        finish(
          `did not finish loading within ${timeoutMs} ms (a loop or a long await at its top level? or a machine too loaded: --load-timeout MS gives it longer)`,
        ),
      timeoutMs,
    );
    if (signal?.aborted === true) stopped();
    signal?.addEventListener('abort', stopped);
    w.on('message', (m: unknown) => {
      answer = String(m);
      if (answer === 'ok') finish(undefined);
      else if (answer === 'no-factory') finish(NO_FACTORY);
      else if (answer.startsWith('not-a-factory:'))
        finish(
          `${NOT_A_FACTORY} ${answer.slice('not-a-factory:'.length)}, not a function creating a target (see README.md, Writing a target)`,
        );
      else if (REQUIRED_ESM.test(answer))
        finish(
          `${oneLine(answer)} (vpdma runs targets without require() of ES modules: a CommonJS target loads vpdma with await import('vpdma'))`,
        );
      else if (answer === 'never-settles')
        finish('never finished loading: its top-level await waits on a promise nothing settles');
      else finish(oneLine(answer));
    });
    w.on('error', (e) => finish(`failed to load: ${e.message}`));
    w.on('exit', (code) => {
      if (answer === undefined) finish(`exited while loading (process.exit(${code}))`);
    });
  });
}
