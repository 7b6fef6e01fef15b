// finding.json's replay commands work where a user runs them: `command` from `cwd` (where the
// run started; its paths are relative to it), `commandHere` from the finding's own directory
// wherever it was copied (a nightly job's artifact, downloaded), even for a target given by a
// relative module: path; `commandAbsolute` from anywhere. The real CLI in child processes,
// each in a directory of its own.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../core/shellWord.js';
import { readTrace } from '../store/traceFiles.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/vpdma.js');
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'vpdma-finding-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The fixture target wraps the model with the bug this names.
const env = { ...process.env, VPDMA_FIXTURE_MUTANT: 'unmapdma-tears-down-view' };

/** A command as finding.json prints it, run by the shell in `cwd` (`vpdma` is this checkout's). */
function sh(command: string, cwd: string): SpawnSyncReturns<string> {
  expect(command).toMatch(/^vpdma replay /);
  const vpdma = [process.execPath, bin].map(shellWord).join(' ');
  const line = `${vpdma}${command.slice('vpdma'.length)} --quiet`;
  return spawnSync('sh', ['-c', line], { cwd, env, encoding: 'utf8' });
}

interface FindingJson {
  readonly cwd: string;
  readonly command: string;
  readonly commandHere: string;
  readonly commandAbsolute: string;
}

/** One fuzz run in `project` against a relative module: target, with a finding (beforeAll). */
const project = join(dir, 'project');
const fixture = join(root, 'test/fixtures/mutant-target.mjs');
const target = `module:${relative(project, fixture)}`;
let signature = '';

beforeAll(() => {
  mkdirSync(project);
  const args = ['fuzz', '--target', target, '--runs', '80', '--workers', '1', '--out', 'out'];
  const run = spawnSync(process.execPath, [bin, ...args, '--quiet'], {
    cwd: project,
    env,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(1);
  signature = reportOf(project).findings[0]?.signature ?? '';
  expect(signature).not.toBe('');
});

interface Report {
  readonly findings: readonly {
    signature: string;
    command: string;
    reproText: string;
    callIndex: number;
    kind: string;
    message: string;
  }[];
}

function reportOf(project: string): Report {
  return JSON.parse(readFileSync(join(project, 'out/report.json'), 'utf8')) as Report;
}

describe('finding.json', () => {
  it('says where `command` runs (cwd), and gives `commandHere` for the finding directory', () => {
    const report = reportOf(project);
    const files = join(project, 'out/findings', signature);
    const f = JSON.parse(readFileSync(join(files, 'finding.json'), 'utf8')) as FindingJson;
    const repro = `out/findings/${signature}/repro.jsonl`;
    expect(f).toMatchObject({
      cwd: project,
      // As before, and as report.json has it: from the directory the run started in.
      command: `vpdma replay ${shellWord(repro)} --target ${shellWord(target)} --timeout 1000`,
      commandHere: `vpdma replay repro.jsonl --target ${shellWord(`module:${fixture}`)} --timeout 1000`,
    });
    expect(report.findings[0]?.command).toBe(f.command);
    // The finding's directory downloaded elsewhere, as from a nightly job's artifacts.
    const artifact = join(dir, 'downloads/vpdma-report/finding');
    cpSync(files, artifact, { recursive: true });
    const here = sh(f.commandHere, artifact);
    expect(here.status, here.stderr).toBe(1);
    expect(here.stdout).toContain('view-torn-down');
    const inCwd = sh(f.command, f.cwd);
    expect(inCwd.status, inCwd.stderr).toBe(1);
    expect(inCwd.stdout).toContain('view-torn-down');
    // `command` anywhere else does not find the repro: what `cwd` and `commandHere` are for.
    expect(sh(f.command, artifact).status).toBe(2);
    // `commandAbsolute` works anywhere on this machine: the repro and the target absolute.
    expect(f.commandAbsolute).toBe(
      `vpdma replay ${shellWord(join(files, 'repro.jsonl'))} --target ${shellWord(`module:${fixture}`)} --timeout 1000`,
    );
    const anywhere = sh(f.commandAbsolute, artifact);
    expect(anywhere.status, anywhere.stderr).toBe(1);
    expect(anywhere.stdout).toContain('view-torn-down');
  });

  it('repro.txt explains itself in comments, and holds the same trace as repro.jsonl', async () => {
    const first = reportOf(project).findings[0];
    const files = join(project, 'out/findings', signature);
    const txt = join(files, 'repro.txt');
    const text = readFileSync(txt, 'utf8');
    expect(text).toMatch(/^# oracle at call 0: /m);
    // Under the failing call, after the oracle's answer: what the target did (probe finding 13).
    const line = `# violation at call ${first?.callIndex}: ${first?.kind}: ${first?.message}`;
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('# violation at call '))).toEqual([line]);
    expect(lines[lines.indexOf(line) - 1]).toMatch(
      new RegExp(`^# oracle at call ${first?.callIndex}: |^[^#]`),
    );
    expect(text).toContain('are the values pointed to on entry');
    // report.json (and so report.html and junit.xml) shows the same text.
    expect(first?.reproText).toBe(text);
    const [fromTxt, fromJsonl] = await Promise.all([
      readTrace(txt),
      readTrace(join(files, 'repro.jsonl')),
    ]);
    expect(fromTxt.ok && fromTxt.value).toStrictEqual(fromJsonl.ok && fromJsonl.value);
  });

  it("guards an --out that starts with '-': the printed command does not read it as an option", () => {
    const dash = join(dir, 'dash');
    mkdirSync(dash);
    const args = [
      'fuzz',
      '--target',
      `module:${fixture}`,
      '--runs',
      '80',
      '--workers',
      '1',
      '--out=-out',
    ];
    const run = spawnSync(process.execPath, [bin, ...args, '--quiet'], {
      cwd: dash,
      env,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dash, '-out/report.json'), 'utf8')) as {
      findings: { signature: string; command: string }[];
    };
    const sig = report.findings[0]?.signature ?? '';
    const command = report.findings[0]?.command ?? '';
    expect(command).toMatch(/^vpdma replay \.\/-out\/findings\//);
    const f = JSON.parse(
      readFileSync(join(dash, '-out/findings', sig, 'finding.json'), 'utf8'),
    ) as FindingJson;
    expect(f.command).toBe(command);
    const replayed = sh(command, dash);
    expect(replayed.status, replayed.stderr).toBe(1);
    expect(replayed.stdout).toContain('view-torn-down');
  });
});
