// The TypeScript and JavaScript examples of the Markdown pages, type-checked against the package's
// public types as a user's project sees them: `import ... from 'vpdma'` resolves (the package
// naming itself) through package.json's "exports" to the built dist/index.d.ts, under the
// project's own strict options. One Program holds every block, each a file of its own that
// exists only in memory, beside its page (so that the name resolves as it does in the repository).
import { basename, join } from 'node:path';
import ts from 'typescript';

/** A fenced code block of a page, in a language the checker reads. */
export interface CodeBlock {
  /** The page, relative to the repository. */
  readonly page: string;
  /** The 1-based line of the block's first line of code. */
  readonly line: number;
  readonly lang: 'ts' | 'js';
  readonly code: string;
  /** Why it is not checked: `<!-- not-checked: why -->` on the line before its fence. */
  readonly exempt?: string;
}

const LANGS: Readonly<Record<string, 'ts' | 'js'>> = {
  ts: 'ts',
  typescript: 'ts',
  mts: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

const EXEMPT = /^\s*<!--\s*not-checked:(.*?)-->\s*$/;

/** The ts/js blocks of a page's text; a fence may be indented (in a list item). */
export function codeBlocks(page: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', info = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    const lang = LANGS[info.toLowerCase()];
    if (lang !== undefined) {
      const body = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      const why = EXEMPT.exec(previousLine(lines, i))?.[1]?.trim();
      blocks.push({
        page,
        line: i + 2,
        lang,
        code: `${body.join('\n')}\n`,
        ...(why !== undefined ? { exempt: why } : {}),
      });
    }
    i = end;
  }
  return blocks;
}

function previousLine(lines: readonly string[], i: number): string {
  let j = i - 1;
  while (j >= 0 && (lines[j] ?? '').trim() === '') j--;
  return lines[j] ?? '';
}

/** Lines that are a `<!-- not-checked ... -->` comment (each must precede a block it exempts). */
export function exemptionComments(text: string): number {
  return text.split('\n').filter((l) => /^\s*<!--\s*not-checked\b/.test(l)).length;
}

/** Where a block lives in memory: beside its page, named after it and its line. */
export function blockFile(root: string, b: CodeBlock): string {
  return join(root, `${b.page}.L${b.line}.${b.lang === 'ts' ? 'mts' : 'mjs'}`);
}

/** The project's compiler options (tsconfig.json), for files that are checked and not emitted. */
export function checkOptions(root: string): ts.CompilerOptions {
  const file = join(root, 'tsconfig.json');
  const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
  if (read.error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    allowJs: true,
    checkJs: true,
  };
}

/**
 * "Implicitly has an 'any' type": plain JavaScript has no way to say a parameter's type (short of
 * JSDoc, which no example should need), so in a js block these are not faults of the example.
 */
const IMPLICIT_ANY = new Set([7005, 7006, 7008, 7019, 7031, 7034]);

export interface CheckResult {
  /** `page:line: message`, for every block not exempt, in page order. */
  readonly errors: string[];
  readonly program: ts.Program;
}

/**
 * Type-checks the blocks not exempt, in one Program. A block with `export default` is a module
 * target (the README's): its default export must be a `TargetFactory` too.
 */
export function checkBlocks(root: string, blocks: readonly CodeBlock[]): CheckResult {
  const files = new Map<string, string>();
  const lineOf = new Map<string, CodeBlock>();
  for (const b of blocks.filter((x) => x.exempt === undefined)) {
    const file = blockFile(root, b);
    files.set(file, b.code);
    lineOf.set(file, b);
    if (/^export default\b/m.test(b.code)) {
      const probe = `${file}.factory.mts`;
      const from = `./${basename(file).replace(/\.mts$/, '.mjs')}`;
      files.set(
        probe,
        `import type { TargetFactory } from 'vpdma';\nimport f from '${from}';\nf satisfies TargetFactory;\n`,
      );
      lineOf.set(probe, b);
    }
  }
  const options = checkOptions(root);
  const disk = ts.createCompilerHost(options);
  const host: ts.CompilerHost = {
    ...disk,
    fileExists: (f) => files.has(f) || disk.fileExists(f),
    readFile: (f) => files.get(f) ?? disk.readFile(f),
    getSourceFile: (f, language, onError, create) => {
      const text = files.get(f);
      return text !== undefined
        ? ts.createSourceFile(f, text, language)
        : disk.getSourceFile(f, language, onError, create);
    },
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  const errors: string[] = [];
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const d of global)
    errors.push(`(options): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  for (const [file, b] of lineOf) {
    const source = program.getSourceFile(file);
    if (source === undefined) {
      errors.push(`${b.page}:${b.line}: not in the program (a harness bug)`);
      continue;
    }
    const found = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const d of found.filter((x) => !(b.lang === 'js' && IMPLICIT_ANY.has(x.code)))) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      const probe = file.endsWith('.factory.mts');
      const at =
        probe || d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line;
      errors.push(
        `${b.page}:${b.line + at}: ${probe ? 'its default export is no TargetFactory: ' : ''}${text}`,
      );
    }
  }
  return { errors, program };
}
