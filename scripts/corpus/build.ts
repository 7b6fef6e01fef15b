// Builds the bundled corpus: runs every scenario in scripts/corpus/scenarios, checks each
// trace (no misuse, see corpus.ts) and writes corpus/<name>.jsonl atomically, byte for byte
// deterministic. Usage: npx tsx scripts/corpus/build.ts   (or npm run corpus:build)
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpus, fileName, problems } from './corpus.js';

const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../corpus');

function writeAtomically(file: string, text: string): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

function main(): number {
  const built = buildCorpus();
  const bad = built.flatMap(problems);
  if (bad.length > 0) {
    for (const message of bad) process.stderr.write(`corpus: ${message}\n`);
    return 1;
  }
  mkdirSync(CORPUS_DIR, { recursive: true });
  let changed = 0;
  for (const b of built) {
    if (writeAtomically(path.join(CORPUS_DIR, fileName(b.scenario)), b.text)) changed++;
  }
  const calls = built.reduce((n, b) => n + b.trace.calls.length, 0);
  process.stdout.write(`corpus: ${built.length} traces, ${calls} calls, ${changed} written\n`);
  return 0;
}

process.exitCode = main();
