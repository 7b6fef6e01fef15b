// The `vpdma ...` command lines of the Markdown pages, checked against the real command line
// (src/cli/commandLinesDoc.test.ts): each names a command vpdma has, and only options that
// command takes. They come from code blocks (indented, or fenced in a shell language or none)
// and from code spans (`vpdma replay --explain`). Output quoted in a block (`vpdma fuzz: new
// finding`) is no command line, nor is a span whose next word is no command (`vpdma failed part
// way`, quoting a message).
import type { Command, Option } from 'commander';

export interface CommandLine {
  readonly page: string;
  /** The 1-based line it starts on. */
  readonly line: number;
  /** From `vpdma` on, continuations joined. */
  readonly text: string;
  /** A code span in the prose, rather than a line of a code block. */
  readonly span?: true;
}

const SHELL = new Set(['', 'sh', 'bash', 'shell', 'console', 'text']);
const FENCE = /^\s*(`{3,}|~{3,})\s*([\w-]*)/;

/** The command lines in a page's code blocks. */
export function commandLines(page: string, text: string): CommandLine[] {
  const lines = text.split('\n');
  const out: CommandLine[] = [];
  let fence: string | undefined; // the open fence, while in a fenced block
  let shell = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    const f = FENCE.exec(l);
    if (f !== null && (fence === undefined || l.trim().startsWith(fence))) {
      shell = fence === undefined && SHELL.has((f[2] ?? '').toLowerCase());
      fence = fence === undefined ? (f[1] ?? '') : undefined;
      continue;
    }
    const inCode = fence !== undefined ? shell : /^ {4,}\S/.test(l);
    const m = /^\s*(?:\$ )?(?:npx )?(vpdma(?: .*)?)$/.exec(l);
    if (!inCode || m === null) continue;
    let cmd = m[1] ?? '';
    const start = i;
    while (cmd.endsWith('\\') && i + 1 < lines.length)
      cmd = `${cmd.slice(0, -1)} ${lines[++i]?.trim() ?? ''}`;
    out.push({ page, line: start + 1, text: cmd });
  }
  return out;
}

/** The code spans of a page's prose that start with `vpdma ` (or `npx vpdma `). */
export function commandSpans(page: string, text: string): CommandLine[] {
  const out: CommandLine[] = [];
  let fenced = false;
  text.split('\n').forEach((l, i) => {
    if (FENCE.test(l)) fenced = !fenced;
    else if (!fenced && !/^ {4,}\S/.test(l))
      for (const m of l.matchAll(/`(?:npx )?(vpdma [^`]*)`/g))
        out.push({ page, line: i + 1, text: m[1] ?? '', span: true });
  });
  return out;
}

/**
 * Shell words of a command line, up to a comment, a pipe (`\|` in a table), a redirection or a
 * second command. A synopsis (`vpdma fuzz [--seed S] [--runs N | --time D]  (what it does)`) is
 * read without its brackets, `|` there being a choice, up to its parenthesized note.
 */
export function words(text: string): string[] {
  const synopsis = /\[-/.test(text);
  const out: string[] = [];
  for (const m of text.matchAll(/'[^']*'|"[^"]*"|[^\s'"]+/g)) {
    const w = m[0];
    if (synopsis ? /^(\(|#)/.test(w) : /^(#|\\?\||&&|;|\d?>)/.test(w)) break;
    const bare = synopsis ? w.replace(/^\[+/, '').replace(/[\]|]+$/, '') : w;
    if (bare !== '' && bare !== '|') out.push(bare.replace(/^(['"])(.*)\1$/, '$2'));
  }
  return out;
}

const flagsOf = (o: Option): string[] => [o.long, o.short].filter((f) => f !== undefined);

/**
 * What is wrong with a command line, or undefined when nothing is; null when it is no command
 * line: output quoted from vpdma (`vpdma fuzz: ...`), or a span quoting a message.
 */
export function problemOf(program: Command, line: CommandLine): string | null | undefined {
  const [, ...rest] = words(line.text);
  let cmd = program;
  let path = 'vpdma';
  const args: string[] = [];
  for (const w of rest) {
    const sub = args.length === 0 ? cmd.commands.find((c) => c.name() === w) : undefined;
    if (sub !== undefined) {
      cmd = sub;
      path += ` ${w}`;
      continue;
    }
    const output = w.endsWith(':') && cmd.commands.some((c) => c.name() === w.slice(0, -1));
    if (args.length === 0 && output) return null;
    const needsCommand = cmd.commands.length > 0 && cmd.registeredArguments.length === 0;
    if (!w.startsWith('-') && args.length === 0 && needsCommand)
      return line.span === true && cmd === program ? null : `${path} has no command ${w}`;
    args.push(w);
  }
  if (cmd.commands.length > 0 && cmd !== program && !args.includes('--help'))
    return `${path} needs a command: ${cmd.commands.map((c) => c.name()).join(', ')}`;
  const known = new Set([...cmd.options, ...cmd.createHelp().visibleOptions(cmd)].flatMap(flagsOf));
  const unknown = args
    .filter((a) => /^--?[a-zA-Z]/.test(a))
    .map((a) => a.split('=')[0] ?? a)
    .filter((a) => !known.has(a));
  return unknown.length === 0 ? undefined : `${path} has no option ${unknown.join(', ')}`;
}
