// vitest globalSetup: builds examples/c-target once, before any test file runs, so the files
// that start the binary never race two builds of it.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '../examples/c-target');

export default function setup(): void {
  try {
    execFileSync('make', ['-C', DIR], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    const why = err.stderr?.toString().trim() || err.message;
    throw new Error(`cannot build examples/c-target (it needs make and gcc): ${why}`);
  }
}
