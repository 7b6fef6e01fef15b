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

/** A trace file's name without its extension (`events.jsonl.gz` -> `events`). */
const stemOf = (name: string): string => name.replace(/\.(?:jsonl|vpt|txt)(?:\.gz)?$/i, '');

/** Whether a trace argument names a bundled trace (`corpus:NAME`). */
export function isBundledRef(arg: string): boolean {
  return arg.startsWith(BUNDLED_TRACE);
}

/**
 * The file a trace argument names: a `corpus:NAME` one the bundled corpus's NAME (with or
 * without its extension, when that is unique), any other itself. `corpus:` alone is the whole
 * bundled corpus (its directory) where `whole` allows it (replay). An unknown NAME, or a file
 * here called `corpus:NAME` too, is a usage error (exit 2).
 */
export async function traceArgument(
  arg: string,
  corpusDir = bundledCorpusDir(),
  /** Where a relative path is looked up (the process's working directory). */
  cwd = '.',
  /** Whether `corpus:` alone may name the whole corpus (a command taking directories). */
  whole = false,
): Promise<string> {
  if (!isBundledRef(arg)) return arg;
  const given = arg.slice(BUNDLED_TRACE.length);
  if (given === '' && !whole)
    throw new UserError(
      `${BUNDLED_TRACE} alone names the whole bundled corpus, which only replay takes; name one of its traces, ${BUNDLED_TRACE}NAME`,
    );
  const name = given === '' ? '' : await withExtension(given, corpusDir);
  const path = join(corpusDir, name);
  const inside = relative(corpusDir, path);
  const traceName = name !== '' && inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
  const found = given === '' || (traceName && formatOf(name) !== undefined && (await isFile(path)));
  if (!found) throw new UserError(unknownMessage(arg, name, corpusDir, await namesIn(corpusDir)));
  if (await isFile(join(cwd, arg)))
    throw new UserError(
      `${oneLine(arg)}: names a trace of the bundled corpus, and there is also a file of that name here; write ./${oneLine(arg)} for that one`,
    );
  return given === '' ? corpusDir : path;
}

/** NAME itself when it has a trace extension; else the one trace NAME.<ext> if unique. */
async function withExtension(name: string, corpusDir: string): Promise<string> {
  if (formatOf(name) !== undefined) return name;
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  const names = await namesIn(join(corpusDir, name.slice(0, slash + 1)));
  const same = names.filter((n) => stemOf(n) === base);
  return same.length === 1 ? `${name.slice(0, slash + 1)}${same[0] ?? ''}` : name;
}

/** The arguments, each `corpus:NAME` as its file and `corpus:` as the corpus (traceArgument). */
export async function traceArguments(args: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const a of args) out.push(await traceArgument(a, undefined, undefined, true));
  return out;
}

function unknownMessage(arg: string, name: string, dir: string, names: string[]): string {
  const stem = stemOf(name).toLowerCase();
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
