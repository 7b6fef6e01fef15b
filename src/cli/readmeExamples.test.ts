// The README is the front door: what it shows a newcomer must hold. Its Quick start test command
// is the one CI runs, its violation table names every kind, its capture example is a trace the
// reference model replays cleanly, and its module target, written to a file as a user would,
// replays the bundled corpus (the library examples are docs/library.md's, libraryDoc.test.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayCommandLine } from '../core/replayCommand.js';
import { createModelTarget } from '../replay/modelTarget.js';
import { replayTrace } from '../replay/replayTrace.js';
import { VIOLATION_KINDS } from '../replay/violation.js';
import { parseJsonl } from '../trace/jsonl.js';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The text of the README section under `## title`, up to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README section ${title}`).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of one language in a text. */
function fenced(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map(
    (m) => m[1] ?? '',
  );
}

describe('README', () => {
  it("has the two Quick start commands, the second being what CI's .ci/run runs", () => {
    const commands = section('Quick start')
      .split('\n')
      .filter((l) => l.startsWith('    '))
      .map((l) => l.trim().replace(/\s+#.*$/, ''));
    expect(commands.slice(0, 2)).toEqual(['npm install && npx vpdma nightly', 'npm test']);
    const run = readFileSync(join(root, '.ci/run'), 'utf8').trim().split('\n');
    expect(run.at(-1)).toBe(commands[1]);
  });

  it('says how to put on PATH the vpdma that printed reproduce commands start with', () => {
    // The commands name the bin, the same on every machine; outside the checkout, npx does not
    // find it, so the README must say how to get it (probe finding 2).
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const [bin] = Object.keys(pkg.bin);
    expect(replayCommandLine('corpus:events.jsonl', { target: 'model' })).toMatch(
      new RegExp(`^${bin ?? '?'} replay `),
    );
    expect(section('Quick start')).toMatch(new RegExp(`\`npm link\`[^]*\`${bin ?? '?'}\``));
  });

  it('names every violation kind in the table of What it checks', () => {
    const rows = section('What it checks')
      .split('\n')
      .filter((l) => l.startsWith('| `'))
      .map((l) => l.split('|')[1] ?? '');
    const named = rows.flatMap((cell) => [...cell.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual([...VIOLATION_KINDS].sort());
  });

  it('shows a capture that is a trace the reference model replays without a violation', async () => {
    const [json] = fenced(section('Capturing and replaying traces'), 'json');
    expect(json).toBeDefined();
    const read = parseJsonl(json ?? '', 'README.md');
    if (!read.ok) throw new Error(read.error.message);
    const { header, calls } = read.value;
    expect(calls.map((c) => c.fn)).toContain('VideoPortMapDmaMemory');
    const profile = header.profile ?? 'docs';
    const target = await createModelTarget({ device: header.device, profile });
    const result = await replayTrace(header, calls, target);
    expect(result.violations).toEqual([]);
    expect(result.outcome).toBe('pass');
  });

  it('shows a module target that replays the bundled corpus cleanly', () => {
    const [block] = fenced(section('Writing a target'), 'js');
    expect(block).toContain('export default');
    // Inside the repository, so that the package name resolves to it (the README says so).
    const dir = mkdtempSync(join(root, '.readme-example-'));
    try {
      const file = join(dir, 'my-target.mjs');
      writeFileSync(file, block ?? '');
      const bin = join(root, 'bin/vpdma.js');
      const argv = [bin, 'replay', 'corpus', '--target', `module:${file}`, '--json', '-'];
      const r = spawnSync(process.execPath, argv, { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { summary: { traces: number; passed: number } };
      expect(report.summary.traces).toBeGreaterThan(20);
      expect(report.summary.passed).toBe(report.summary.traces);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
