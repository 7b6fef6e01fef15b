#!/usr/bin/env node
// The published entry point: the compiled CLI, bundled (built by `npm install` via the prepare
// script; see scripts/bundle.ts).
import { main, reapChildren } from '../dist/cli/entry.bundle.js';

// A reader that goes away (`vpdma show big.vpt | head`) ends the output, not the run: reports
// still go to their files and the exit code stays the command's. Other stream errors are real.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
// Process targets whose worker threads were terminated must not outlive the run.
reapChildren();
