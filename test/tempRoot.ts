// vitest globalSetup: every test file, and every CLI or target process a test starts, makes its
// temporary files under one directory of this run (TMPDIR, inherited), removed when the run
// ends, so test runs do not leave directories behind in the system's temp directory.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'vpdma-tests-'));
  // As the system's temp directory is: tests that run the CLI as another user need it too.
  chmodSync(root, 0o1777);
  process.env['TMPDIR'] = root;
  process.env['TMP'] = root;
  process.env['TEMP'] = root;
  return () => rmSync(root, { recursive: true, force: true });
}
