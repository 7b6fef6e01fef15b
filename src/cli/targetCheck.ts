// Failing early, in this thread, on a target that cannot be set up at all (a missing module,
// an unknown mutant): a usage error, before any work starts.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createSession } from '../replay/sessions.js';
import type { TargetSpec } from '../replay/targetSpec.js';
import { UserError } from './context.js';

export async function checkTarget(spec: TargetSpec, timeoutMs: number): Promise<void> {
  if (spec.kind === 'process') return; // started per worker; a failure shows per trace or case
  if (spec.kind === 'module') {
    const bad = await loadsInAThread(spec.path, Math.max(timeoutMs, 2000));
    if (bad !== undefined) throw new UserError(`--target: target module ${spec.path} ${bad}`);
  }
  const s = await createSession(spec, timeoutMs);
  if (!s.ok) throw new UserError(`--target: ${s.error}`);
  await s.value.close();
}

/**
 * Loads a module target in a thread of its own first: one that loops forever at its top level
 * or calls process.exit there would otherwise hang or end this process before any report.
 * Undefined when it loads, or fails in a way the import here reports by itself.
 */
function loadsInAThread(path: string, timeoutMs: number): Promise<string | undefined> {
  const full = resolve(path);
  if (!existsSync(full)) return Promise.resolve(undefined); // createSession says so
  const url = JSON.stringify(pathToFileURL(full).href);
  // Success is a message, not an exit code: a module may itself call process.exit(0).
  const w = new Worker(
    `const { parentPort } = require('node:worker_threads');
     import(${url}).then(() => { parentPort.postMessage('loaded'); process.exit(0); });`,
    { eval: true },
  );
  return new Promise((done) => {
    const timer = setTimeout(() => {
      void w.terminate();
      done(`did not finish loading within ${timeoutMs} ms (a loop at its top level?)`);
    }, timeoutMs);
    let failed = false;
    let loaded = false;
    w.on('message', () => {
      loaded = true;
    });
    w.on('error', () => {
      failed = true; // a throwing import: createSession reports it with its message
    });
    w.on('exit', (code) => {
      clearTimeout(timer);
      done(loaded || failed ? undefined : `exited while loading (process.exit(${code}))`);
    });
  });
}
