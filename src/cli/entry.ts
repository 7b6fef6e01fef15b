// What bin/vpdma.js loads, bundled into one file by scripts/bundle.ts: the CLI and the
// registry of child processes it reaps must be the same module instances.
export { main } from './main.js';
export { reapChildren } from './reap.js';
