// docs/contract.md against the real command line: every option a command's --help lists is in
// DESIGN.md's command line (docs/design.md) or in that command's table in docs/contract.md; the
// page names no option the command lacks, and DESIGN.md none it lacks (that would break the
// contract); each table row says rightly whether DESIGN.md has the option; every exit code of
// exitCodes.ts, every target SPEC form and every environment variable src/ reads is described; each
// default the page states is the one --help states, and each numeric default --help states is on
// the page; VPDMA_SEED's row names the commands that read it. The options come from the commander
// definitions themselves, in-process, so an option added undocumented fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliContext } from './context.js';
import { EXIT } from './exitCodes.js';
import { buildProgram } from './main.js';
import { TARGET_SPECS } from '../replay/targetSpec.js';

const root = resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** Long flags (`--json`) in a text: `-V, --version` gives `--version`. */
const flagsIn = (text: string): string[] =>
  [...text.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]);

/**
 * Every command by its path (`vpdma`, `vpdma corpus prune`) with what its --help lists; a
 * command that only groups others (`vpdma corpus`), with no option of its own, is left out.
 */
function helpFlags(program: Command): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (cmd: Command, path: string): void => {
    // visibleOptions is what --help prints (the help option included); hidden ones count too.
    const options = [...cmd.createHelp().visibleOptions(cmd), ...cmd.options];
    const flags = new Set(options.flatMap((o) => flagsIn(o.flags)));
    if (cmd.commands.length === 0 || cmd.options.length > 0) out.set(path, flags);
    for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(program, program.name());
  return out;
}

/** The text of a Markdown section, from its heading to the next heading of that level or higher. */
function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const whole = `\n${text}`;
  const start = whole.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const body = whole.slice(start + heading.length + 2);
  const end = body.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? body : body.slice(0, end);
}

/** DESIGN.md's command line: each `vpdma CMD ...` line of the block, with its continuations. */
function designFlags(design: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  for (const line of section(design, '### Command line').split('\n')) {
    if (!line.startsWith('    ')) {
      current = undefined;
      continue;
    }
    const start = /^ {4}vpdma ([a-z]+)/.exec(line);
    if (start !== null) {
      current = new Set();
      out.set(`vpdma ${start[1] ?? ''}`, current);
    }
    for (const flag of flagsIn(line)) current?.add(flag);
  }
  return out;
}

/** The cells of a Markdown table row (an escaped `\|` stays inside its cell). */
const cells = (line: string): string[] =>
  line
    .replace(/\\\|/g, '\u0000')
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim().replace(/\u0000/g, '|'));

interface Row {
  readonly flags: readonly string[];
  readonly source: string;
  /** The "what" column. */
  readonly what: string;
}

/** docs/contract.md's "Command line": per `### vpdma ...` heading, its table's options. */
function contractRows(contract: string): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  const body = section(contract, '## Command line');
  for (const part of body.split(/^### /m).slice(1)) {
    const [heading = '', ...lines] = part.split('\n');
    const rows = lines
      .filter((l) => l.startsWith('|'))
      .map(cells)
      .map((c) => ({ flags: flagsIn(c[0] ?? ''), source: c[1] ?? '', what: c[3] ?? '' }))
      .filter((r) => r.flags.length > 0);
    out.set(heading.trim(), rows);
  }
  return out;
}

/** Everything wrong between the parser, DESIGN.md and docs/contract.md, one line each. */
function commandLineProblems(program: Command, design: string, contract: string): string[] {
  const problems: string[] = [];
  const help = helpFlags(program);
  const designed = designFlags(design);
  const documented = contractRows(contract);
  const top = program.name();
  const everywhere = new Set((documented.get(top) ?? []).flatMap((r) => r.flags));
  for (const [path, flags] of help) {
    const rows = documented.get(path);
    if (rows === undefined) {
      problems.push(`${path}: no "### ${path}" table in docs/contract.md`);
      continue;
    }
    const named = new Set(rows.flatMap((r) => r.flags));
    for (const flag of flags) {
      const inDesign = designed.get(path)?.has(flag) === true;
      if (!inDesign && !named.has(flag) && !(flag === '--help' && everywhere.has(flag)))
        problems.push(
          `${path} ${flag}: --help lists it, but neither DESIGN.md's command line nor docs/contract.md does`,
        );
    }
    for (const row of rows) {
      for (const flag of row.flags) {
        if (!flags.has(flag))
          problems.push(`${path} ${flag}: docs/contract.md names it, but --help does not list it`);
        const inDesign = designed.get(path)?.has(flag) === true;
        if (inDesign !== (row.source === 'DESIGN.md'))
          problems.push(
            `${path} ${flag}: docs/contract.md says "${row.source}", but DESIGN.md ${inDesign ? 'lists' : 'does not list'} it`,
          );
      }
    }
  }
  for (const path of documented.keys())
    if (!help.has(path))
      problems.push(`${path}: docs/contract.md has a table, vpdma no such command`);
  for (const [path, flags] of designed) {
    const has = help.get(path);
    if (has === undefined) problems.push(`${path}: DESIGN.md lists it, vpdma has no such command`);
    else
      for (const flag of flags)
        if (!has.has(flag))
          problems.push(`${path} ${flag}: DESIGN.md lists it, the command lacks it`);
  }
  return problems;
}

/** The first word after "(default" or "(default:" in a text, quotes and backticks dropped. */
const defaultIn = (text: string): string | undefined =>
  /\(default:? [`"]?([^\s`",;)]+)/.exec(text)?.[1];

/** `vpdma fuzz --calls-max` → the default its --help states (commander's or in the text). */
function helpDefaults(program: Command): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (cmd: Command, path: string): void => {
    const help = cmd.createHelp();
    for (const o of help.visibleOptions(cmd)) {
      const value = defaultIn(help.optionDescription(o));
      if (o.long !== undefined && value !== undefined) out.set(`${path} ${o.long}`, value);
    }
    for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`);
  };
  walk(program, program.name());
  return out;
}

/** The defaults docs/contract.md's tables state: a row's "(default X", else its "as fuzz's" row's. */
function contractDefaults(documented: Map<string, Row[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, rows] of documented)
    for (const row of rows) {
      const [flag = ''] = row.flags;
      const as = /\bas ([a-z]+)'s\b/.exec(row.what)?.[1];
      const other = documented.get(`vpdma ${as ?? ''}`)?.find((r) => r.flags.includes(flag));
      const value = defaultIn(row.what) ?? defaultIn(other?.what ?? '');
      if (value !== undefined) out.set(`${path} ${flag}`, value);
    }
  return out;
}

/** Each default stated on one side and not the same (or, numeric, missing) on the other. */
function defaultProblems(program: Command, contract: string): string[] {
  const help = helpDefaults(program);
  const stated = contractDefaults(contractRows(contract));
  const problems: string[] = [];
  for (const [option, value] of stated)
    if (help.get(option) !== value)
      problems.push(
        `${option}: docs/contract.md says default ${value}, --help ${help.get(option) ?? 'states none'}`,
      );
  // Words ("each trace header's"), names ("vpdma-out") and a shard ("1/1") are not tunings.
  for (const [option, value] of help)
    if (/^\d+[a-z]*$/.test(value) && !stated.has(option))
      problems.push(`${option}: --help says default ${value}, docs/contract.md states none`);
  return problems;
}

/** Functions through which a command reads VPDMA_SEED (options.ts, recordedSeed.ts). */
const SEED_READERS = /\b(?<!function )(seedOption|seedGiven|replaySeed)\(/;

/** Non-test .ts files under a directory, by path. */
function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** docs/contract.md's exit-code table: code → source column. */
function contractExitCodes(contract: string): Map<number, string> {
  const rows = section(contract, '## Exit codes')
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map(cells)
    .filter((c) => /^\d+$/.test(c[0] ?? ''));
  return new Map(rows.map((c) => [Number(c[0]), c[1] ?? '']));
}

/** The codes DESIGN.md's "Exit codes: 0 no violation; 1 ...; 3 ..." sentence gives. */
function designExitCodes(design: string): number[] {
  const sentence = /Exit codes: ([^]*?)`--json`/.exec(design)?.[1] ?? '';
  return [...sentence.matchAll(/(?:^|; )(\d+) /g)].map((m) => Number(m[1]));
}

/** Environment variables the shipped code reads (`env['X']`, `process.env.X`), tests aside. */
function environmentReads(dir: string, out = new Set<string>()): Set<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) environmentReads(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(/env(?:\[['"]([A-Z][A-Z0-9_]*)['"]\]|\.([A-Z][A-Z0-9_]*))/g))
        out.add(m[1] ?? m[2] ?? '');
    }
  }
  return out;
}

const quiet = new CliContext({ out: () => undefined, err: () => undefined });
const design = read('docs/design.md');
const contract = read('docs/contract.md');

describe('docs/contract.md', () => {
  it("covers every option of every command's --help, and names none a command lacks", () => {
    const help = helpFlags(buildProgram(quiet));
    // The walk finds the commands and their options (not an empty map passing vacuously).
    expect(help.get('vpdma replay')).toContain('--load-timeout');
    expect(help.get('vpdma corpus prune')).toContain('--dry-run');
    expect(help.get('vpdma show')).toContain('--help');
    expect(commandLineProblems(buildProgram(quiet), design, contract)).toEqual([]);
  });

  it("reads DESIGN.md's command line and the page's tables", () => {
    const designed = designFlags(design);
    expect([...designed.keys()].sort()).toEqual(
      ['convert', 'fuzz', 'merge', 'minimize', 'nightly', 'replay', 'show'].map(
        (c) => `vpdma ${c}`,
      ),
    );
    expect([...(designed.get('vpdma fuzz') ?? [])]).toEqual([
      '--target',
      '--seed',
      '--runs',
      '--time',
      '--workers',
      '--corpus',
      '--out',
      '--shard',
      '--json',
    ]);
    expect(designed.get('vpdma convert')?.size).toBe(0);
    const rows = contractRows(contract);
    expect(rows.get('vpdma nightly')?.find((r) => r.flags.includes('--fail-on'))?.source).toBe(
      'vpdma',
    );
    expect(rows.get('vpdma')?.flatMap((r) => r.flags)).toEqual(['--version', '--help']);
  });

  it('reports an undocumented option, a documented one gone, a wrong source and a DESIGN.md option missing', () => {
    const program = new Command('vpdma').version('1', '-V, --version');
    program.command('show').option('--summary', 'x').option('--brand-new', 'x');
    program.command('replay').option('--target <spec>', 'x');
    program.command('fresh');
    const fakeDesign =
      '### Command line\n\n    vpdma replay [--target SPEC]\n                 [--json FILE]\n';
    const table = (rows: string[]): string =>
      ['| option | source |', '| --- | --- |', ...rows].join('\n');
    const fakeContract = [
      '## Command line',
      '### vpdma',
      table(['| `-V, --version` | vpdma |', '| `-h, --help` | vpdma |']),
      '### vpdma show',
      table(['| `--summary` | vpdma |', '| `--numbers` | vpdma |']),
      '### vpdma replay',
      table(['| `--target SPEC` | vpdma |']),
      '## Exit codes',
    ].join('\n');
    expect(commandLineProblems(program, fakeDesign, fakeContract)).toEqual([
      "vpdma show --brand-new: --help lists it, but neither DESIGN.md's command line nor docs/contract.md does",
      'vpdma show --numbers: docs/contract.md names it, but --help does not list it',
      'vpdma replay --target: docs/contract.md says "vpdma", but DESIGN.md lists it',
      'vpdma fresh: no "### vpdma fresh" table in docs/contract.md',
      'vpdma replay --json: DESIGN.md lists it, the command lacks it',
    ]);
  });

  it('describes every exit code exitCodes.ts has, and marks the ones DESIGN.md gives', () => {
    const codes = contractExitCodes(contract);
    expect([...codes.keys()].sort((a, b) => a - b)).toEqual(
      [...new Set(Object.values(EXIT))].sort((a, b) => a - b),
    );
    const fromDesign = designExitCodes(design);
    expect(fromDesign).toEqual([0, 1, 2, 3]);
    for (const [code, source] of codes)
      expect([code, source]).toEqual([code, fromDesign.includes(code) ? 'DESIGN.md' : 'vpdma']);
  });

  it('lists every target SPEC form that DESIGN.md does not', () => {
    const designed = /Target SPEC: ([^]*?)\. Exit codes/.exec(design)?.[1] ?? '';
    expect(designed).toContain('`process:COMMAND`');
    const listed = section(contract, '## Target SPECs');
    const missing = TARGET_SPECS.filter(
      (spec) => !designed.includes(`\`${spec}\``) && !listed.includes(`\`${spec}\``),
    );
    expect(missing).toEqual([]);
  });

  it('lists every environment variable vpdma reads', () => {
    const reads = environmentReads(join(root, 'src'));
    expect(reads).toContain('VPDMA_SEED');
    const listed = section(contract, '## Environment variables');
    expect([...reads].filter((name) => !listed.includes(`\`${name}\``))).toEqual([]);
  });

  it("states each option's default as --help does, and every numeric one --help states", () => {
    const stated = contractDefaults(contractRows(contract));
    // The rows are read (directly, and through "as fuzz's"), not an empty map passing vacuously.
    expect(stated.get('vpdma fuzz --calls-max')).toBe('64');
    expect(stated.get('vpdma nightly --calls-max')).toBe('64');
    expect(stated.get('vpdma nightly --time')).toBe('30s');
    expect(helpDefaults(buildProgram(quiet)).get('vpdma replay --sample-bytes')).toBe('512');
    expect(defaultProblems(buildProgram(quiet), contract)).toEqual([]);
  });

  it('reports a default that drifted and a numeric one the page leaves out', () => {
    const program = new Command('vpdma');
    program.command('fuzz').option('--calls-max <n>', 'x (default: 32)');
    program.command('nightly').option('--calls-max <n>', 'x', '64').option('--runs <n>', 'x', '9');
    const table = (rows: string[]): string =>
      ['| option | source | stability | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
    const fakeContract = [
      '## Command line',
      '### vpdma fuzz',
      table(['| `--calls-max N` | vpdma | default may change | calls (default 64) |']),
      '### vpdma nightly',
      table(["| `--calls-max N` | vpdma | default may change | as fuzz's |"]),
      '## Exit codes',
    ].join('\n');
    expect(defaultProblems(program, fakeContract)).toEqual([
      'vpdma fuzz --calls-max: docs/contract.md says default 64, --help 32',
      'vpdma nightly --runs: --help says default 9, docs/contract.md states none',
    ]);
  });

  it("names in VPDMA_SEED's row the commands that read it", () => {
    const src = join(root, 'src');
    const files = sources(src);
    const helpers = ['cli/options.ts', 'cli/recordedSeed.ts'].map((f) => join(src, f));
    // Only options.ts reads the variable, and only the helpers and commands call its readers:
    // a new helper calling them must join SEED_READERS, or its commands go unnoticed here.
    expect(files.filter((f) => readFileSync(f, 'utf8').includes("env['VPDMA_SEED']"))).toEqual([
      join(src, 'cli/options.ts'),
    ]);
    const callers = files.filter((f) => SEED_READERS.test(readFileSync(f, 'utf8')));
    const commandsDir = join(src, 'cli/commands');
    expect(callers.filter((f) => !f.startsWith(commandsDir) && !helpers.includes(f))).toEqual([]);
    const readers = callers
      .filter((f) => f.startsWith(commandsDir))
      .map((f) => f.slice(commandsDir.length + 1, -'.ts'.length))
      .sort();
    expect(readers).toContain('fuzz');
    const row = section(contract, '## Environment variables')
      .split('\n')
      .find((l) => l.startsWith('| `VPDMA_SEED` |'));
    const names = new Set(buildProgram(quiet).commands.map((c) => c.name()));
    const listed = [...(cells(row ?? '')[2] ?? '').matchAll(/`([a-z]+)`/g)]
      .map((m) => m[1] ?? '')
      .filter((n) => names.has(n));
    expect(listed.sort()).toEqual(readers);
  });
});
