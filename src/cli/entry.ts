// What bin/vpdma.js loads, bundled into one file by scripts/bundle.ts: the CLI and the
// registry of child processes it reaps must be the same module instances.
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

export { main } from './main.js';
export { reapChildren } from './reap.js';
export { workBegan } from './interrupt.js';

/** Whether `file` is the script node was started with (`node FILE`), links resolved. */
function startedAs(file: string, script: string | undefined): boolean {
  if (script === undefined) return false;
  const real = (p: string): string | undefined => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const self = real(file);
  return self !== undefined && [script, `${script}.js`].some((p) => real(p) === self);
}

// Run as a script (`node dist/cli/entry.js replay ...`), this module would only define main
// and exit 0 having done nothing, so a CI step calling it would always pass: it refuses, as
// a usage error (exit 2), in one line naming the command.
const self = fileURLToPath(import.meta.url);
if (startedAs(self, process.argv[1])) {
  process.stderr.write(
    `vpdma: dist/cli/${basename(self)} is the module bin/vpdma.js loads, not the command: run \`node bin/vpdma.js ARGS\` (or \`npx vpdma ARGS\`)\n`,
  );
  process.exitCode = 2;
}
