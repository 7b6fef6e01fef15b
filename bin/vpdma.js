#!/usr/bin/env node
// The published entry point: the compiled CLI, bundled (built by `npm install` via the prepare
// script; see scripts/bundle.ts).
import { writeSync } from 'node:fs';

// Ctrl-C or SIGTERM while no command handles them (src/cli/interrupt.ts, stdinTrace.ts): vpdma
// still loading, checking its arguments, loading the target to check it, taking its locks.
// No work has begun, so none is there to finish: one line, and the exit code of an interrupt
// (130), not death by the signal (143 for SIGTERM). Lock files go with the process
// (src/cli/runLock.ts removes its own on exit). Installed before the CLI loads: loading it is
// the longest of these moments.
let reap;
let workBegan;
const stopEarly = (name) => {
  if (process.listenerCount(name) > 1) return; // a command's own handling has it
  // After the work (its reports written, its locks let go): nothing is left to finish either.
  const when =
    workBegan?.() === true ? 'after the work was done' : 'before any work began; nothing written';
  try {
    writeSync(2, `vpdma: ${name}: stopped ${when}\n`);
  } catch {
    // stderr gone: the exit code says it.
  }
  reap?.();
  process.exit(130);
};
process.on('SIGINT', stopEarly);
process.on('SIGTERM', stopEarly);

const { main, reapChildren, workBegan: began } = await import('../dist/cli/entry.bundle.js');
reap = reapChildren;
workBegan = began;

// A reader that goes away (`vpdma show big.vpt | head`) ends the output, not the run: reports
// still go to their files and the exit code stays the command's. Any other failure to write
// the output (a full disk: `> /dev/full`) is said in one line on standard error, the run
// still writes its report files, and the exit code is 2 (the environment), as for a report
// file that cannot be written; a standard error that fails cannot be told anything.
let stdoutFailed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || stream !== process.stdout)
      return;
    if (!stdoutFailed)
      process.stderr.write(
        `vpdma: stdout: ${e.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '')}\n`,
      );
    stdoutFailed = true;
    // The last output may fail after the command returned its code.
    if (typeof process.exitCode === 'number' && process.exitCode < 2) process.exitCode = 2;
  });
}

const code = await main(process.argv.slice(2));
process.exitCode = stdoutFailed && code < 2 ? 2 : code;
// Process targets whose worker threads were terminated must not outlive the run.
reapChildren();
