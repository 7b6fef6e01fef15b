#!/usr/bin/env node
// The published entry point: the compiled CLI, bundled (built by `npm install` via the prepare
// script; see scripts/bundle.ts).
import { main, reapChildren } from '../dist/cli/entry.bundle.js';

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
