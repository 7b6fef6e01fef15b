// `corpus:NAME` as a trace argument of replay, show, minimize and convert: a trace of vpdma's
// bundled corpus by the name the history, results.sarif, report.html and the nightly's
// Reproduce lines give it (historyTraceName.ts), so that a command copied from a CI log runs
// on a machine where vpdma is installed elsewhere.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { BUNDLED_TRACE } from '../report/command.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { formatOf } from '../store/traceFiles.js';
import { oneLine } from '../core/oneLine.js';
import { UserError } from './context.js';

/** Names suggested for a NAME not found, at most. */
const SUGGESTED_MAX = 3;

/** Whether a trace argument names a bundled trace (`corpus:NAME`). */
export function isBundledRef(arg: string): boolean {
  return arg.startsWith(BUNDLED_TRACE);
}

/**
 * The file a trace argument names: a `corpus:NAME` one the bundled corpus's NAME, any other
 * itself. An unknown NAME, or a file here called `corpus:NAME` too, is a usage error (exit 2).
 */
export async function traceArgument(
  arg: string,
  corpusDir = bundledCorpusDir(),
  /** Where a relative path is looked up (the process's working directory). */
  cwd = '.',
): Promise<string> {
  if (!isBundledRef(arg)) return arg;
  const name = arg.slice(BUNDLED_TRACE.length);
  const path = join(corpusDir, name);
  const inside = relative(corpusDir, path);
  const traceName = name !== '' && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  const found = traceName && formatOf(name) !== undefined && (await isFile(path));
  if (!found) throw new UserError(unknownMessage(arg, name, corpusDir, await namesIn(corpusDir)));
  if (await isFile(join(cwd, arg)))
    throw new UserError(
      `${oneLine(arg)}: names a trace of the bundled corpus, and there is also a file of that name here; write ./${oneLine(arg)} for that one`,
    );
  return path;
}

/** The arguments, each `corpus:NAME` as its file (traceArgument). */
export async function traceArguments(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) out.push(await traceArgument(a));
  return out;
}

function unknownMessage(arg: string, name: string, dir: string, names: string[]): string {
  const stem = name.replace(/\.(?:jsonl|vpt|txt)(?:\.gz)?$/i, '').toLowerCase();
  const close =
    stem === '' ? [] : names.filter((n) => n.toLowerCase().includes(stem)).slice(0, SUGGESTED_MAX);
  const hint =
    close.length > 0
      ? `; did you mean ${close.map((n) => `${BUNDLED_TRACE}${n}`).join(', ')}?`
      : ` (${oneLine(dir)}: ${BUNDLED_TRACE}NAME takes the name of one of its ${names.length} trace files)`;
  return `${oneLine(arg)}: no trace of that name in vpdma's bundled corpus${hint}`;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() === true;
}

async function namesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => []);
  return names.filter((n) => !n.startsWith('.') && formatOf(n) !== undefined).sort();
}
