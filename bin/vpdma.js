#!/usr/bin/env node
// The published entry point: the compiled CLI (built by `npm install` via the prepare script).
import { main } from '../dist/cli/main.js';
import { reapChildren } from '../dist/cli/reap.js';

process.exitCode = await main(process.argv.slice(2));
// Process targets whose worker threads were terminated must not outlive the run.
reapChildren();
